package figure

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Formats are the formats a Figure encodes to, by file extension.
var Formats = []string{"png", "svg"}

// FormatOf is the format of a file name by its extension ("png" for
// "out.PNG"), or an error naming the formats.
func FormatOf(name string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
	for _, f := range Formats {
		if ext == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("figure: %s: want a .png or .svg file", name)
}

// Figure is a drawing of a fixed size.
type Figure struct {
	W, H vg.Length
	draw func(c draw.Canvas)
}

// Encode draws f in format ("png" or "svg").
func (f Figure) Encode(format string) ([]byte, error) {
	if _, err := FormatOf("x." + format); err != nil {
		return nil, err
	}
	c, err := draw.NewFormattedCanvas(f.W, f.H, format)
	if err != nil {
		return nil, fmt.Errorf("figure: %w", err)
	}
	f.draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("figure: encoding %s: %w", format, err)
	}
	return b.Bytes(), nil
}
