// Runs the Store conformance suite against the in-memory fake.

import { describe } from 'node:test';
import { createMemoryStore } from './memory.js';
import { storeConformance } from './store.conformance.js';

describe('memory store', () => {
  storeConformance(async (options) => {
    const store = createMemoryStore(options);
    return { store, dispose: () => store.close() };
  });
});
