/** Figure builders: pure functions from analysis results to plotly figure specs. */
export * from './spec';
export * from './strength';
export * from './motifs';
export * from './metrics';
export * from './training';
export * from './subgraphs';
export * from './studies';
export * from './network-spec';
export * from './network';
export * from './format';
export * from './panels';
export * from './population';
