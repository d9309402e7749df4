import type { ResourceType } from './resources.ts';
import { isObject, type JsonObject } from './schema.ts';
import { invalid, type FieldProblem } from './status.ts';
import { requirementsFromLabelSelector, matchesLabels } from './selectors.ts';

/**
 * Defaulting and validation, per kind, for the fields that clients of this
 * project read back or rely on (the API server's defaults for Deployments,
 * pod templates, Services, Secrets, Namespaces).
 */
export interface AdmissionContext {
  allocateClusterIp(): string;
  allocateNodePort(): number;
}

function defaultContainer(c: JsonObject): void {
  const image = typeof c.image === 'string' ? c.image : '';
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes('@') ? 'digest' : (lastSegment.split(':')[1] ?? 'latest');
  c.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (c.resources === undefined) c.resources = {};
  for (const p of (c.ports as JsonObject[] | undefined) ?? []) p.protocol ??= 'TCP';
  for (const probeName of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const probe = c[probeName];
    if (!isObject(probe)) continue;
    probe.timeoutSeconds ??= 1;
    probe.periodSeconds ??= 10;
    probe.successThreshold ??= 1;
    probe.failureThreshold ??= 3;
    if (isObject(probe.httpGet)) probe.httpGet.scheme ??= 'HTTP';
  }
}

export function defaultPodSpec(spec: JsonObject): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const c of (spec.containers as JsonObject[] | undefined) ?? []) defaultContainer(c);
  for (const c of (spec.initContainers as JsonObject[] | undefined) ?? []) defaultContainer(c);
}

function defaultTemplate(spec: JsonObject): void {
  const template = spec.template;
  if (isObject(template)) {
    template.metadata ??= {};
    if (isObject(template.spec)) defaultPodSpec(template.spec);
  }
}

export function applyDefaults(
  t: ResourceType,
  obj: JsonObject,
  old: JsonObject | undefined,
  ctx: AdmissionContext,
): void {
  const spec = (isObject(obj.spec) ? obj.spec : undefined) as JsonObject | undefined;
  switch (t.kind) {
    case 'Deployment': {
      if (!spec) return;
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      const strategy = (spec.strategy ??= {}) as JsonObject;
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') {
        const ru = (strategy.rollingUpdate ??= {}) as JsonObject;
        ru.maxSurge ??= '25%';
        ru.maxUnavailable ??= '25%';
      }
      defaultTemplate(spec);
      break;
    }
    case 'ReplicaSet':
      if (!spec) return;
      spec.replicas ??= 1;
      defaultTemplate(spec);
      break;
    case 'Pod':
      if (spec) defaultPodSpec(spec);
      break;
    case 'Service': {
      if (!spec) return;
      const oldSpec = (old?.spec ?? {}) as JsonObject;
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      if (spec.type !== 'ExternalName') {
        spec.clusterIP ??= oldSpec.clusterIP ?? ctx.allocateClusterIp();
        if (spec.clusterIP === '') spec.clusterIP = ctx.allocateClusterIp();
        spec.clusterIPs ??= spec.clusterIP === 'None' ? ['None'] : [spec.clusterIP];
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
        spec.internalTrafficPolicy ??= 'Cluster';
      }
      const oldPorts = (oldSpec.ports as JsonObject[] | undefined) ?? [];
      for (const p of (spec.ports as JsonObject[] | undefined) ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
        if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
          p.nodePort ??=
            oldPorts.find((o) => o.port === p.port)?.nodePort ?? ctx.allocateNodePort();
        }
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer')
        spec.externalTrafficPolicy ??= 'Cluster';
      if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
      break;
    }
    case 'Secret': {
      obj.type ??= 'Opaque';
      if (isObject(obj.stringData)) {
        const data = (obj.data ??= {}) as JsonObject;
        for (const [k, v] of Object.entries(obj.stringData))
          data[k] = Buffer.from(String(v)).toString('base64');
        delete obj.stringData;
      }
      break;
    }
    case 'Namespace':
      obj.spec ??= { finalizers: ['kubernetes'] };
      obj.status = {
        phase: (obj.metadata as JsonObject).deletionTimestamp ? 'Terminating' : 'Active',
      };
      {
        const labels = ((obj.metadata as JsonObject).labels ??= {}) as JsonObject;
        labels['kubernetes.io/metadata.name'] = (obj.metadata as JsonObject).name;
      }
      break;
  }
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function containerProblems(containers: unknown, field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!Array.isArray(containers) || containers.length === 0) {
    return [{ field, detail: 'Required value', reason: 'FieldValueRequired' }];
  }
  containers.forEach((c: JsonObject, i) => {
    if (!c.name)
      problems.push({
        field: `${field}[${i}].name`,
        detail: 'Required value',
        reason: 'FieldValueRequired',
      });
    if (!c.image)
      problems.push({
        field: `${field}[${i}].image`,
        detail: 'Required value',
        reason: 'FieldValueRequired',
      });
  });
  return problems;
}

function goMap(labels: Record<string, string>): string {
  return `map[string]string{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join(', ')}}`;
}

export function validate(t: ResourceType, obj: JsonObject, old: JsonObject | undefined): void {
  const meta = obj.metadata as JsonObject;
  const name = String(meta.name ?? '');
  const problems: FieldProblem[] = [];
  const nameRule = t.kind === 'Namespace' || t.kind === 'Service' ? DNS_LABEL : DNS_SUBDOMAIN;
  const maxLength = nameRule === DNS_LABEL ? 63 : 253;
  if (!name) {
    problems.push({
      field: 'metadata.name',
      detail: 'Required value: name or generateName is required',
      reason: 'FieldValueRequired',
    });
  } else if (!nameRule.test(name) || name.length > maxLength) {
    const rule =
      nameRule === DNS_LABEL
        ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    problems.push({
      field: 'metadata.name',
      detail: `Invalid value: ${JSON.stringify(name)}: ${rule}`,
      reason: 'FieldValueInvalid',
    });
  }
  for (const [k, v] of Object.entries((meta.labels ?? {}) as Record<string, unknown>)) {
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      problems.push({
        field: `metadata.labels`,
        detail: `Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        reason: 'FieldValueInvalid',
      });
    }
    if (k.length === 0)
      problems.push({
        field: 'metadata.labels',
        detail: 'Invalid value: "": name part must be non-empty',
        reason: 'FieldValueInvalid',
      });
  }
  const spec = (obj.spec ?? {}) as JsonObject;
  if (t.kind === 'Deployment' || t.kind === 'ReplicaSet') {
    const template = (spec.template ?? {}) as JsonObject;
    const templateLabels = ((template.metadata as JsonObject | undefined)?.labels ?? {}) as Record<
      string,
      string
    >;
    const requirements = requirementsFromLabelSelector(spec.selector);
    if (!requirements || requirements.length === 0) {
      problems.push({
        field: 'spec.selector',
        detail: 'Required value',
        reason: 'FieldValueRequired',
      });
    } else if (!matchesLabels(requirements, templateLabels)) {
      problems.push({
        field: 'spec.template.metadata.labels',
        detail: `Invalid value: ${goMap(templateLabels)}: \`selector\` does not match template \`labels\``,
        reason: 'FieldValueInvalid',
      });
    }
    problems.push(
      ...containerProblems(
        (template.spec as JsonObject | undefined)?.containers,
        'spec.template.spec.containers',
      ),
    );
    if (typeof spec.replicas === 'number' && spec.replicas < 0) {
      problems.push({
        field: 'spec.replicas',
        detail: `Invalid value: ${spec.replicas}: must be greater than or equal to 0`,
        reason: 'FieldValueInvalid',
      });
    }
    if (old) {
      const oldSelector = JSON.stringify((old.spec as JsonObject | undefined)?.selector ?? null);
      if (oldSelector !== JSON.stringify(spec.selector ?? null)) {
        problems.push({
          field: 'spec.selector',
          detail: `Invalid value: v1.LabelSelector{MatchLabels:${goMap(((spec.selector as JsonObject | undefined)?.matchLabels ?? {}) as Record<string, string>)}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`,
          reason: 'FieldValueInvalid',
        });
      }
    }
  }
  if (t.kind === 'Pod' && !old)
    problems.push(...containerProblems(spec.containers, 'spec.containers'));
  if (t.kind === 'Service') {
    const ports = spec.ports as JsonObject[] | undefined;
    if (
      spec.type !== 'ExternalName' &&
      spec.clusterIP !== 'None' &&
      (!ports || ports.length === 0)
    ) {
      problems.push({
        field: 'spec.ports',
        detail: 'Required value',
        reason: 'FieldValueRequired',
      });
    }
    (ports ?? []).forEach((p, i) => {
      if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) {
        problems.push({
          field: `spec.ports[${i}].port`,
          detail: `Invalid value: ${JSON.stringify(p.port ?? 0)}: must be between 1 and 65535, inclusive`,
          reason: 'FieldValueInvalid',
        });
      }
    });
    if (
      old &&
      (old.spec as JsonObject).clusterIP !== spec.clusterIP &&
      (old.spec as JsonObject).clusterIP
    ) {
      problems.push({
        field: 'spec.clusterIP',
        detail: `Invalid value: ${JSON.stringify(spec.clusterIP ?? '')}: field is immutable`,
        reason: 'FieldValueInvalid',
      });
    }
  }
  if (t.kind === 'ConfigMap') {
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) {
      if (typeof v !== 'string')
        problems.push({
          field: `data[${k}]`,
          detail: 'Invalid value: must be a string',
          reason: 'FieldValueInvalid',
        });
    }
  }
  if (problems.length > 0) throw invalid(t.kind, t.group, name, problems);
}
