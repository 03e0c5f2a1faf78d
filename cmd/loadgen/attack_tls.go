package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"

	"github.com/aftershock/aftershock/cmd/loadgen/internal/cli"
)

// maxPEMBytes bounds a certificate or key file.
const maxPEMBytes = 1 << 20

// tlsConfig builds the attack's TLS configuration from vegeta's flags, as
// vegeta's own tlsConfig does: --insecure skips verification; --cert with
// --key (or a --cert file holding both) is the client's certificate;
// --root-certs replaces the system's roots. Every file is read whole, and a
// bad one is bad input.
func tlsConfig(insecure bool, certFile, keyFile string, roots []string) (*tls.Config, error) {
	c := &tls.Config{InsecureSkipVerify: insecure}
	switch {
	case keyFile != "" && certFile == "":
		return nil, cli.Flagf("attack", "--key %q without --cert", keyFile)
	case certFile != "":
		cert, err := cli.ReadFile("attack: --cert", certFile, maxPEMBytes)
		if err != nil {
			return nil, cli.Usage(err)
		}
		key := cert
		if keyFile != "" {
			if key, err = cli.ReadFile("attack: --key", keyFile, maxPEMBytes); err != nil {
				return nil, cli.Usage(err)
			}
		}
		pair, err := tls.X509KeyPair(cert, key)
		if err != nil {
			return nil, cli.Usage(fmt.Errorf("attack: --cert %q, --key %q: %v", certFile, keyFile, err))
		}
		c.Certificates = []tls.Certificate{pair}
	}
	if len(roots) > 0 {
		c.RootCAs = x509.NewCertPool()
		for _, f := range roots {
			b, err := cli.ReadFile("attack: --root-certs", f, maxPEMBytes)
			if err != nil {
				return nil, cli.Usage(err)
			}
			if !c.RootCAs.AppendCertsFromPEM(b) {
				return nil, cli.Usage(fmt.Errorf("attack: --root-certs %q: no PEM certificate in it", f))
			}
		}
	}
	return c, nil
}
