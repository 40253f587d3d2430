export { testDb, type TestDatabase } from './test-db.js';
export { testRedis, type TestRedis } from './test-redis.js';
export { testLdap, type TestLdap } from './test-ldap.js';
export { testAd, unicodePwd, type TestAd } from './test-ad.js';
export { randomSuffix, type TeardownHost } from './teardown.js';
export {
  seedClassGroup,
  seedIdentifier,
  seedMembership,
  seedPerson,
  seedRelativeLink,
  seedStructure,
  seedTeachingLink,
  type SeedPerson,
} from './directory-seed.js';
export { ownRedis, type OwnRedis } from './own-redis.js';
export { ownSlapd, type OwnSlapd } from './own-slapd.js';
export {
  provisionAllPersons,
  provisioningRows,
  replayAllRows,
  type ProvisioningRowState,
} from './provisioning-seed.js';
export { until, within } from './wait.js';
export { startEntryPoint, type RunningEntryPoint } from './entry-point.js';
