/**
 * The scrape jobs `coordinator monitoring` writes, one per kind of endpoint and shared by every ensemble (their
 * targets carry an `ensemble` label): the alert rules and the dashboard select by these names.
 */
export const JOBS = Object.freeze({
  agent: 'zkfleet-agent',
  zookeeper: 'zookeeper',
  coordinator: 'zkfleet-coordinator',
});

/** The ensemble's label matcher, as every rule and panel scopes its series. */
export const ensembleMatcher = (ensemble: string) => `ensemble="${ensemble}"`;
