package predict

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// erlangTail is P(S > tau) for the sojourn S of an attempt that joins a
// FIFO station of c exponential workers (rate mu each) holding n attempts:
// its wait is Erlang(n−c+1, c·mu) when n ≥ c (none otherwise), plus its own
// Exp(mu) service. This is exact for that station; the fluid model and the
// chain both read the timeout probability from it.
func erlangTail(n, c int, mu, tau float64) float64 {
	if tau <= 0 {
		return 1
	}
	if n < c {
		return math.Exp(-mu * tau)
	}
	m := float64(n - c + 1)
	if c == 1 { // Erlang(n+1, mu): P(Poisson(mu·tau) ≤ n)
		return mathext.GammaIncRegComp(m+1, mu*tau)
	}
	// P(W > tau) + ∫_0^tau f_W(w) e^{−mu(tau−w)} dw, the integral being
	// e^{−mu·tau} (c/(c−1))^m P(m, (c−1)·mu·tau).
	p := mathext.GammaIncRegComp(m, float64(c)*mu*tau)
	lower := mathext.GammaIncReg(m, float64(c-1)*mu*tau)
	if lower > 0 {
		p += math.Exp(-mu*tau + m*math.Log(float64(c)/float64(c-1)) + math.Log(lower))
	}
	return clamp01(p)
}

// gammaTail is P(S > tau) for a sojourn S of mean m and variance v, taken
// as a gamma distribution with those two moments (a step at m when v is 0).
func gammaTail(m, v, tau float64) float64 {
	switch {
	case tau <= 0:
		return 1
	case m <= 0:
		return 0
	case v <= 0:
		if m > tau {
			return 1
		}
		return 0
	}
	k, theta := m*m/v, v/m
	return clamp01(mathext.GammaIncRegComp(k, tau/theta))
}

func clamp01(x float64) float64 { return min(1, max(0, x)) }

// retryShare is the share of failed attempts that are not their request's
// last: with each attempt failing independently with probability phi and at
// most a attempts, failure k (probability phi^k) is retried when k < a. It is
// the mean field's stand-in for the attempt count each client carries.
func retryShare(phi float64, a int) float64 {
	switch {
	case a <= 1:
		return 0
	case phi <= 0:
		return 1
	case phi >= 1:
		return float64(a-1) / float64(a)
	}
	// Σ_{k<a} phi^k / Σ_{k≤a} phi^k = (1 − phi^(a−1)) / (1 − phi^a).
	return (1 - math.Pow(phi, float64(a-1))) / (1 - math.Pow(phi, float64(a)))
}
