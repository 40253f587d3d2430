import type { FastifyPluginAsync } from 'fastify';
import accounts from './accounts/index.js';
import calendar from './calendar/index.js';
import campaigns from './campaigns/index.js';
import changes from './changes/index.js';
import classGroups from './classes/index.js';
import establishmentBlocking from './establishments/blocking.js';
import establishmentFeed from './establishments/feed.js';
import establishments from './establishments/index.js';
import establishmentYearTransition from './establishments/year-transition.js';
import identifiers from './identifiers/index.js';
import imports from './imports/index.js';
import managedGroups from './managed-groups/index.js';
import notices from './notices/index.js';
import persons from './persons/index.js';
import snapshots from './snapshots/index.js';
import targets from './targets/index.js';
import webhooks from './webhooks/index.js';

/** Every /v1 resource; a folder is a URL prefix (classes/ serves /classes and /groups). */
const v1: FastifyPluginAsync = async (app) => {
  await app.register(changes, { prefix: '/changes' });
  await app.register(establishments, { prefix: '/establishments' });
  await app.register(establishmentBlocking, { prefix: '/establishments' });
  await app.register(establishmentFeed, { prefix: '/establishments' });
  await app.register(establishmentYearTransition, { prefix: '/establishments' });
  await app.register(persons, { prefix: '/persons' });
  await app.register(classGroups, { prefix: '/classes', kind: 'class' });
  await app.register(classGroups, { prefix: '/groups', kind: 'group' });
  await app.register(managedGroups, { prefix: '/managed-groups' });
  await app.register(accounts, { prefix: '/accounts' });
  await app.register(imports, { prefix: '/imports' });
  await app.register(identifiers, { prefix: '/identifiers' });
  await app.register(targets, { prefix: '/targets' });
  await app.register(webhooks, { prefix: '/webhooks' });
  await app.register(snapshots, { prefix: '/snapshots' });
  await app.register(calendar, { prefix: '/calendar' });
  await app.register(campaigns, { prefix: '/campaigns' });
  await app.register(notices, { prefix: '/notices' });
};

export default v1;
