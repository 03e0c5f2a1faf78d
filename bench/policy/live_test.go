package policy

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/bench/model"
)

// liveDef is a live-only admission policy: middleware that answers 503.
func liveDef(name string) Def {
	return Def{
		Name: name, Roles: []Role{RoleAdmission}, Doc: "refuses everything", Source: "this test",
		Params: []Param{{Name: "code", Kind: KindWhole, Default: "503", Doc: "the status"}},
		Live: func(a Args) (LiveHooks, error) {
			code := a.Int("code")
			return LiveHooks{Server: func(LiveHost) func(http.Handler) http.Handler {
				return func(http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) })
				}
			}}, nil
		},
	}
}

// TestLiveOnlyPolicy: a policy registered with Live is listed apart
// (LiveNames), refused by Build (the simulator) with one line matching
// ErrLiveOnly and ErrSpec, and built by BuildLive beside the parts of other
// roles.
func TestLiveOnlyPolicy(t *testing.T) {
	d := liveDef("test-live")
	if err := Register(d); err != nil {
		t.Fatal(err)
	}
	defer unregister(t, d.Name)
	if slices.Contains(Names(), d.Name) || !slices.Contains(LiveNames(), d.Name) || !IsLive(d.Name) || IsLive("queue-size") {
		t.Errorf("Names %v, LiveNames %v: want it among the live ones only", Names(), LiveNames())
	}
	_, err := Build("test-live+backoff", env)
	if !errors.Is(err, ErrLiveOnly) || !errors.Is(err, ErrSpec) || strings.Contains(err.Error(), "\n") ||
		!strings.Contains(err.Error(), "test-live runs only in live mode") {
		t.Errorf("Build: %v, want one line: live mode only", err)
	}
	h, lh, err := BuildLive("test-live:code=429+backoff", env)
	if err != nil || lh.Server == nil || lh.Client != nil || h.Backoff == nil || h.Admit != nil {
		t.Fatalf("BuildLive: %+v %+v %v", h, lh, err)
	}
	if _, err := Parse("test-live+queue-size"); err == nil || !strings.Contains(err.Error(), "both set the admission role") {
		t.Errorf("two admission parts: %v", err)
	}
	if _, err := Parse("nope"); err == nil || !strings.Contains(err.Error(), "live mode only: test-live") {
		t.Errorf("unknown policy: %v, want the live ones listed", err)
	}
	// Parts without live hooks build as Build builds them.
	if h, lh, err := BuildLive("queue-size+backoff", env); err != nil || h.Admit == nil || lh.Server != nil {
		t.Errorf("BuildLive without a live part: %+v %+v %v", h, lh, err)
	}
}

// TestLiveRefused: Register refuses both Build and Live; BuildLive refuses
// live hooks outside the part's roles, and none at all.
func TestLiveRefused(t *testing.T) {
	both := liveDef("test-both")
	both.Build = func(Args) (model.Hooks, error) { return model.Hooks{}, nil }
	if err := Register(both); err == nil || !strings.Contains(err.Error(), "both Build and Live") {
		unregister(t, both.Name)
		t.Errorf("both: %v", err)
	}
	wrong := liveDef("test-wrong-role")
	wrong.Roles = []Role{RoleClient}
	empty := liveDef("test-empty")
	empty.Live = func(Args) (LiveHooks, error) { return LiveHooks{}, nil }
	client := liveDef("test-client-hook")
	client.Live = func(Args) (LiveHooks, error) {
		return LiveHooks{Client: func(LiveHost) func(http.RoundTripper) http.RoundTripper { return nil }}, nil
	}
	for _, c := range []struct {
		d    Def
		want string
	}{
		{wrong, "fills the admission role, which is not among its roles (client)"},
		{empty, "returned no hooks"},
		{client, "fills the client role, which is not among its roles (admission)"},
	} {
		if err := Register(c.d); err != nil {
			t.Fatal(err)
		}
		_, _, err := BuildLive(c.d.Name, env)
		unregister(t, c.d.Name)
		if !errors.Is(err, ErrSpec) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.d.Name, err, c.want)
		}
	}
}
