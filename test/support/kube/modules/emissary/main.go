// Command emissary-apiext runs Emissary-ingress's CRD conversion webhook,
// the server of its apiext package, outside a pod: the test clusters keep
// the getambassador.io resources at their storage version (v2) and convert
// getambassador.io/v3alpha1 through it, as an Emissary installation does.
//
// Emissary's own command listens on fixed ports (8443 and 8080) on every
// address; this one takes them as flags so that several test clusters on
// one machine each run their own.
package main

import (
	"flag"
	"fmt"
	"os"

	crds "github.com/emissary-ingress/emissary/v3/pkg/api/getambassador.io"
	"github.com/emissary-ingress/emissary/v3/pkg/apiext"
	"go.uber.org/zap"
	ctrl "sigs.k8s.io/controller-runtime"
)

func main() {
	httpsPort := flag.Int("https-port", 8443, "port of the conversion webhook (TLS)")
	healthPort := flag.Int("health-port", 8080, "port of the health probes")
	service := flag.String("service", "emissary-apiext", "the Service the CRDs name for conversion")
	namespace := flag.String("namespace", "emissary-system", "where the CA Secret and leader lease live")
	flag.Parse()

	logger, err := zap.NewProduction()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer logger.Sync() //nolint:errcheck

	server := apiext.NewWebhookServer(logger, *service,
		apiext.WithNamespace(*namespace),
		apiext.WithHTTPSPort(*httpsPort),
		apiext.WithHTTPPort(*healthPort),
		// No label selector: every getambassador.io CRD gets the CA bundle.
		apiext.WithCRDLabelSelectors(nil),
	)
	if err := server.Run(ctrl.SetupSignalHandler(), crds.BuildScheme()); err != nil {
		logger.Error("apiext stopped", zap.Error(err))
		os.Exit(1)
	}
}
