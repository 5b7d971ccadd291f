// The library as tests import it: through the package's own name, as users do.
export * from 'flow_api';
export { restTask as restTaskForTests } from '../../lib/tasks/rest/index.js';
