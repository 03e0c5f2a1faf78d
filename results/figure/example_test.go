package figure_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/aftershock/aftershock/results"
	"github.com/aftershock/aftershock/results/figure"
)

// A timeline of one run, read from its timeseries.csv, as SVG: the first
// rows of us-east-1 (loadgen sim --droplets 1000).
func ExampleTimeline() {
	csv := strings.Join(results.TimeSeriesHeader, ",") + "\n" +
		"60.000,2025-10-19T23:49:00-07:00,1000,0,0,0,0,0,0,0,0,0,0.000,,,0\n" +
		"9480.000,2025-10-20T02:26:00-07:00,4,996,40,60,0,12,12,0,0,0,0.200,,,0\n" +
		"14400.000,2025-10-20T03:48:00-07:00,1000,0,0,0,0,0,0,0,0,0,0.000,,,0\n"
	rows, _, err := results.ReadTimeSeries("timeseries.csv", strings.NewReader(csv))
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := figure.Timeline([]figure.Run{{Name: "us-east-1 / queue-size / seed 1", Rows: rows}})
	if err != nil {
		fmt.Println(err)
		return
	}
	svg, err := f.Encode("svg")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bytes.HasPrefix(svg, []byte("<?xml")), bytes.Contains(svg, []byte("02:25 DNS restored")))
	// Output: true true
}
