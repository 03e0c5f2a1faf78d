module github.com/aftershock/aftershock

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/HdrHistogram/hdrhistogram-go v1.4.0
	golang.org/x/time v0.16.0
)
