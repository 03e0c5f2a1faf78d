package policy

import (
	"github.com/aftershock/aftershock/throttle"
)

var tokenBucketPolicy = Def{
	Name:   "token-bucket",
	Roles:  []Role{RoleAdmission},
	Doc:    "A token bucket per host (golang.org/x/time/rate, AllowN: sheds, never queues), whatever the queue.",
	Source: "golang.org/x/time/rate",
	Params: []Param{
		{Name: "rate", Kind: KindRate, Default: "1x", Doc: "tokens per second per host (×capacity with x)"},
		{Name: "burst", Kind: KindCount, Default: "4w", Doc: "bucket size (default 4 × workers)"},
	},
	Build: admission(tokenBucket, same(throttle.NewTokenBucket)),
}

// tokenBucket resolves the token bucket that token-bucket and operator share.
func tokenBucket(a Args) throttle.TokenBucketConfig {
	return throttle.TokenBucketConfig{Rate: a.Rate("rate"), Burst: a.Count("burst")}
}
