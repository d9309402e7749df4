import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../../support/workflow-files.ts';

/**
 * The permissions README.md shows are the file the RBAC test applies
 * (test/integration/deploy/rbac.test.ts): one text, so they cannot drift.
 */
const role = readFileSync(join(repoRoot, 'docs', 'rbac', 'deployer-role.yaml'), 'utf8');
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

describe('the documented Kubernetes permissions', () => {
  it('README.md shows docs/rbac/deployer-role.yaml verbatim', () => {
    expect(readme).toContain('```yaml\n' + role + '```');
  });

  it('are ClusterRoles of valid rules: the namespace, creating namespaces, reading Gateways', () => {
    const docs = parseAllDocuments(role).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'ClusterRole/model-deploy',
      'ClusterRole/model-deploy-namespaces',
      'ClusterRole/model-deploy-gateways',
    ]);
    for (const doc of docs) {
      for (const rule of doc.rules) {
        expect(Object.keys(rule).sort()).toEqual(['apiGroups', 'resources', 'verbs']);
        expect(rule.verbs.length).toBeGreaterThan(0);
        // Least privilege: no wildcards, no escalation verbs, watch only on
        // Deployments (the rollout) and EndpointSlices (traffic following it).
        const watches =
          rule.resources.length === 1 &&
          ['deployments', 'endpointslices'].includes(rule.resources[0]);
        for (const verb of rule.verbs)
          expect([
            'get',
            'list',
            'create',
            'update',
            'patch',
            'delete',
            ...(watches ? ['watch'] : []),
          ]).toContain(verb);
        expect([...rule.resources, ...rule.apiGroups]).not.toContain('*');
      }
    }
  });
});
