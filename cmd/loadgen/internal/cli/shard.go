package cli

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ShardEnv are the environment variables that give a shard's index when
// --shard gives only the count, in the order they are looked up: Kubernetes
// Indexed Jobs set JOB_COMPLETION_INDEX (0 … completions−1), Slurm job arrays
// SLURM_ARRAY_TASK_ID (run them as --array=0-(N−1)).
var ShardEnv = []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"}

// Shard is the --shard flag: "I/N" runs shard I (from 0) of N; "N" alone
// takes I from the first of ShardEnv that is set (two set to different
// values is an error, none set too). A zero Shard is one shard of one, off.
type Shard struct {
	I, N int
	On   bool   // the flag was given
	From string // where I came from: "" (the flag itself) or a ShardEnv name
	// Getenv looks up an environment variable; nil: os.LookupEnv.
	Getenv func(string) (string, bool)
}

var _ flag.Value = (*Shard)(nil)

func (s *Shard) String() string {
	if s == nil || !s.On {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

func (s *Shard) Set(v string) error {
	iv, nv, both := strings.Cut(strings.TrimSpace(v), "/")
	if !both {
		nv = iv
	}
	n, err := strconv.Atoi(strings.TrimSpace(nv))
	if err != nil || n < 1 {
		return fmt.Errorf("%q: want I/N (shard I of N, I from 0) or N (I from %s), N at least 1", v, strings.Join(ShardEnv, " or "))
	}
	from := ""
	if !both {
		if iv, from, err = s.envIndex(); err != nil {
			return err
		}
	}
	i, err := strconv.Atoi(strings.TrimSpace(iv))
	where := ""
	if from != "" {
		where = " from " + from
	}
	switch {
	case err != nil:
		return fmt.Errorf("shard index %q%s is not a whole number", iv, where)
	case i < 0 || i >= n:
		hint := ""
		if from == "SLURM_ARRAY_TASK_ID" {
			hint = fmt.Sprintf("; run the array as --array=0-%d", n-1)
		}
		return fmt.Errorf("shard index %d%s outside 0..%d (%d shards, numbered from 0)%s", i, where, n-1, n, hint)
	}
	s.I, s.N, s.On, s.From = i, n, true, from
	return nil
}

// envIndex is the shard index from the environment and the variable it
// came from.
func (s *Shard) envIndex() (string, string, error) {
	get := s.Getenv
	if get == nil {
		get = os.LookupEnv
	}
	val, from := "", ""
	for _, name := range ShardEnv {
		v, ok := get(name)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		if from != "" && strings.TrimSpace(v) != strings.TrimSpace(val) {
			return "", "", fmt.Errorf("%s=%s and %s=%s disagree on the shard index; give it as I/N", from, val, name, v)
		}
		if from == "" {
			val, from = v, name
		}
	}
	if from == "" {
		return "", "", fmt.Errorf("a shard count alone takes the index from %s, and neither is set; give I/N", strings.Join(ShardEnv, " or "))
	}
	return val, from, nil
}
