export const id = 890;
export const ids = [890];
export const modules = {

/***/ 90890:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   findEksLoadBalancerController: () => (/* binding */ findEksLoadBalancerController)
/* harmony export */ });
/** The AWS Load Balancer Controller registers these (Helm chart and manifests alike). */
const LBC_WEBHOOK = /(^aws-load-balancer-webhook$|\.elbv2\.k8s\.aws$)/;
/**
 * On EKS, who will give a LoadBalancer Service an address: the AWS Load
 * Balancer Controller (its webhook is registered, or, when this identity may
 * not list webhooks, its TargetGroupBinding API is served), EKS Auto Mode
 * (its NodeClass API is served), or else only the in-tree service controller
 * of the AWS cloud provider, which reads different annotations.
 */
async function findEksLoadBalancerController(cluster, logger) {
    const webhooks = await cluster.mutatingWebhookNames();
    if (webhooks?.some((name) => LBC_WEBHOOK.test(name))) {
        return {
            controller: 'aws-load-balancer-controller',
            evidence: 'its webhook aws-load-balancer-webhook is registered',
        };
    }
    if (webhooks === undefined) {
        logger.info('this identity may not list admission webhooks; looking for the AWS Load Balancer Controller by its API (elbv2.k8s.aws) instead');
        if (await cluster.servesKind('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding')) {
            return {
                controller: 'aws-load-balancer-controller',
                evidence: 'the cluster serves its API, elbv2.k8s.aws',
            };
        }
    }
    if (await cluster.servesKind('eks.amazonaws.com/v1', 'NodeClass')) {
        return {
            controller: 'eks-auto-mode',
            evidence: 'the cluster serves eks.amazonaws.com NodeClass',
        };
    }
    const evidence = webhooks === undefined
        ? 'the cluster serves neither elbv2.k8s.aws (AWS Load Balancer Controller) nor eks.amazonaws.com NodeClass (EKS Auto Mode)'
        : 'no aws-load-balancer-webhook is registered and the cluster serves no eks.amazonaws.com NodeClass (EKS Auto Mode)';
    return {
        controller: 'in-tree',
        evidence,
        warning: `EKS: no AWS Load Balancer Controller and no EKS Auto Mode found (${evidence}), so the Service gets the in-tree cloud provider's NLB annotation (aws-load-balancer-type: nlb, instance targets); install the AWS Load Balancer Controller for its IP-target NLB (https://docs.aws.amazon.com/eks/latest/userguide/aws-load-balancer-controller.html)`,
    };
}


/***/ })

};
