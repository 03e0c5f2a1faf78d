package policy

import (
	"github.com/aftershock/aftershock/throttle"
)

var awsQuotaPolicy = Def{
	Name:   "aws-quota",
	Roles:  []Role{RoleRetryGate},
	Doc:    "A token quota per host: a retry costs retry-cost (timeout-cost after a timeout); a success refunds.",
	Source: "AWS SDK standard retry mode",
	Params: []Param{
		{Name: "capacity", Kind: KindCount, Default: itoa(throttle.DefaultAWSQuota.Capacity), Doc: "tokens"},
		{Name: "retry-cost", Kind: KindCount, Default: itoa(throttle.DefaultAWSQuota.RetryCost), Doc: "tokens per retry"},
		{Name: "timeout-cost", Kind: KindCount, Default: itoa(throttle.DefaultAWSQuota.TimeoutCost), Doc: "tokens per retry after a timeout"},
	},
	Notes: []string{
		"one quota per host, shared by its clients (the SDK keeps one per client)",
		"a success after retries refunds the retry cost, not what its last retry cost (the SDK refunds the timeout cost after a timeout)",
	},
	Build: retryGate(func(a Args) throttle.AWSQuotaConfig {
		return throttle.AWSQuotaConfig{Capacity: a.Count("capacity"), RetryCost: a.Count("retry-cost"),
			TimeoutCost: a.Count("timeout-cost"), SuccessRefund: throttle.DefaultAWSQuota.SuccessRefund}
	}, same(throttle.NewAWSQuota)),
}
