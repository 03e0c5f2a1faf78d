package model

// MaxExtra is how many model-specific columns a Sample can carry: the
// cascade's stage columns (bench/cascade, 15) are the most any model has.
const MaxExtra = 16

// Metric is one model-specific measure of a whole run.
type Metric struct {
	Name  string
	Value float64
}

// Extras is what a model with measures beyond the kit's offers: the names of
// its extra time-series columns (at most MaxExtra; each Sample's Extra holds
// their values in this order) and its measures of the whole run, for the
// printed summary. A model without extra measures does not implement it.
type Extras interface {
	Columns() []string
	Metrics() []Metric
}
