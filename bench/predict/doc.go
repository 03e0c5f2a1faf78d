// Package predict predicts recovery without simulating it.
package predict
