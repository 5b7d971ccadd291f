// The library as tests import it: through the package's own names, as users do.
export * from 'flow_api';
export * from 'flow_api/extend';
export { restTask as restTaskForTests } from 'flow_api/extend';
