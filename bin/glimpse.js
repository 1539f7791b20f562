#!/usr/bin/env node
// The `glimpse` command from a checkout or an install: registers tsx so the TypeScript sources run as written.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli.ts');
