module model-deploy/test/support/kube/modules/crds

go 1.25.0

require (
	istio.io/api v1.32.0
	sigs.k8s.io/gateway-api v1.6.3
)
