package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/aftershock/aftershock/results"
)

// ShardEnv are the environment variables that give a shard's index when
// --shard gives only the count, in the order they are looked up: Kubernetes
// Indexed Jobs set JOB_COMPLETION_INDEX (0 … completions−1), Slurm job arrays
// SLURM_ARRAY_TASK_ID (run them as --array=0-(N−1)).
var ShardEnv = []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"}

// Shard is the --shard flag: "I/N" runs shard I (from 0) of N; "N" alone
// takes I from the first of ShardEnv that is set (two set to different
// values is an error, none set too). The numbers follow results.ParseShard.
// A zero Shard is one shard of one, off.
type Shard struct {
	results.Shard
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
	return s.Shard.String()
}

func (s *Shard) Set(v string) error {
	iv, nv, both := strings.Cut(strings.TrimSpace(v), "/")
	if !both {
		nv = iv
	}
	if _, err := results.ParseShard("0/" + nv); err != nil {
		return fmt.Errorf("%q: want I/N (shard I of N, I from 0) or N (I from %s), N at least 1", v, strings.Join(ShardEnv, " or "))
	}
	from := ""
	if !both {
		var err error
		if iv, from, err = s.envIndex(); err != nil {
			return err
		}
	}
	sh, err := results.ParseShard(iv + "/" + nv)
	var se *results.ShardError
	switch {
	case errors.As(err, &se) && from != "" && !se.Whole:
		return fmt.Errorf("shard index %q from %s is not a whole number", se.Index, from)
	case errors.As(err, &se) && from != "":
		hint := ""
		if from == "SLURM_ARRAY_TASK_ID" {
			hint = fmt.Sprintf("; run the array as --array=0-%d", se.N-1)
		}
		return fmt.Errorf("shard index %d from %s outside 0..%d (%d shards, numbered from 0)%s", se.I, from, se.N-1, se.N, hint)
	case err != nil:
		return err
	}
	s.Shard, s.On, s.From = sh, true, from
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
