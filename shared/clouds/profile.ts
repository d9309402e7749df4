/** What a cloud tells deploy: the profile of its clusters and the facts its probes read. */

/**
 * Who gives a LoadBalancer Service its address on the cluster, as deploy
 * found it: `cloud` for the cloud's own controller, or a name a cloud's
 * probe reports when that cloud has several (its profile picks the
 * annotations for each).
 */
export type LoadBalancerController = string;

export interface LoadBalancerFinding {
  controller: LoadBalancerController;
  /** How deploy found it, for the log. */
  evidence: string;
  /** What the user should know when the finding limits what deploy can do. */
  warning?: string;
}

/** Where GPU pods go: a node selector and/or required node affinity, and the tolerations. */
export interface GpuPlacement {
  nodeSelector: Record<string, string>;
  /** Alternatives (ORed): a node matching any one term takes the pod. */
  nodeAffinityTerms?: Array<Array<{ key: string; operator: 'In'; values: string[] }>>;
  tolerations: Array<Record<string, string>>;
}

/** A Service port, as the load balancer facts read it. */
export interface ServicePort {
  port?: number;
  name?: string;
}

/**
 * A cloud profile holds only what differs between clouds; the manifests are
 * the same everywhere else.
 */
export interface CloudProfile {
  name: ProfileName;
  /** Service annotations for an external / internal load balancer, for the controller that serves them. */
  loadBalancerAnnotations(
    internal: boolean,
    controller?: LoadBalancerController,
  ): Record<string, string>;
  /** True when the Service's annotations ask this cloud for an internal load balancer. */
  internalLoadBalancer?(annotations: Record<string, string>): boolean;
  /**
   * The Service port on which this cloud's load balancer terminates TLS, when
   * the annotations ask it to; undefined when it passes TLS through.
   */
  loadBalancerTlsPort?(
    annotations: Record<string, string>,
    ports: readonly ServicePort[],
  ): number | undefined;
  /** What to check on this cloud when a load balancer gets no address. */
  addressHint?: string;
  /**
   * GPU placement from the labels the cloud (or its node provisioner) puts on
   * GPU nodes. Throws a message (string) when the GPU type does not fit.
   */
  gpuPlacement(gpuType: string | undefined): GpuPlacement;
  /** Why this cloud needs a GPU type, when it does; undefined when it does not. */
  gpuTypeRequired?: string;
  /** Checks a GPU type's form; returns the problem or undefined. */
  checkGpuType(gpuType: string): string | undefined;
  gpuTypeExample: string;
  /** ServiceAccount annotation (and pod labels) that bind the workload to a cloud identity. */
  identity?: {
    annotation: string;
    podLabels?: Record<string, string>;
    /** Checks the identity's shape; returns the problem or undefined. */
    check(identity: string): string | undefined;
    example: string;
  };
}

/** A profile's name: a cloud's, or `none` for a cluster of no known cloud. */
export type ProfileName = string;

/** The taint GPU node pools carry (some clouds set it, others have their pools told to). */
export const NVIDIA_GPU_TAINT = {
  key: 'nvidia.com/gpu',
  operator: 'Exists',
  effect: 'NoSchedule',
} as const;

/**
 * What a cloud's probe may ask of a cluster. The kube layer answers it from
 * its client, so a cloud never holds one.
 */
export interface ClusterFacts {
  /** Whether the cluster serves this kind (`group/version`, `Kind`). */
  servesKind(apiVersion: string, kind: string): Promise<boolean>;
  /** Names of the mutating admission webhooks; undefined when this identity may not list them. */
  mutatingWebhookNames(): Promise<string[] | undefined>;
}
