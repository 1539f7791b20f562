// Pins a "kill" to the one moment timing cannot reach: a stage's work is made and written, its done mark is not.
// A trigger in the test's catalog makes that mark fail (what a process dying there amounts to), then the catalog is
// left the way a killed indexer leaves it, so the tests see exactly what a restart would redo.
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';

export interface StageKillPoint {
  /** From now on, marking `stage` of the photo at `photoPath` done (or skipped) fails, as if the process died there. */
  dieWhenMarkingDone(stage: string, photoPath: string): Promise<void>;
  /**
   * Removes the trigger and leaves the stage running with no live lease, its photo not failed (a pass-1 failure marks
   * it so, a kill does not): the state a SIGKILL leaves behind.
   */
  leaveAsKilled(stage: string, photoPath: string): Promise<void>;
  close(): Promise<void>;
}

const MESSAGE = 'the process died here';
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** On the SQLite catalog of `dataDir`, through a connection of its own (the app's stays open meanwhile). */
export function sqliteKillPoint(dataDir: string): StageKillPoint {
  const run = (statements: string, ...params: unknown[]) => {
    const db = new SQLite(path.join(dataDir, 'catalog.sqlite'));
    try {
      if (params.length === 0) db.exec(statements);
      else db.prepare(statements).run(...params);
    } finally {
      db.close();
    }
  };
  return {
    dieWhenMarkingDone: async (stage, photoPath) =>
      run(`CREATE TRIGGER die_when_marking_done BEFORE UPDATE OF status ON image_stages
           WHEN NEW.stage = ${literal(stage)} AND NEW.status IN ('done', 'skipped')
             AND NEW.image_id = (SELECT id FROM images WHERE path = ${literal(photoPath)})
           BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`),
    leaveAsKilled: async (stage, photoPath) => {
      run('DROP TRIGGER die_when_marking_done');
      run(
        `UPDATE image_stages SET status = 'running', error = NULL WHERE stage = ? AND image_id = (SELECT id FROM images WHERE path = ?)`,
        stage,
        photoPath,
      );
      run(`UPDATE images SET status = 'pending', error = NULL WHERE path = ? AND status = 'failed'`, photoPath);
    },
    close: async () => {},
  };
}

/** On the PostgreSQL catalog at `url` (a trigger's WHEN may not look at other rows, so its function does). */
export async function postgresKillPoint(url: string): Promise<StageKillPoint> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    dieWhenMarkingDone: async (stage, photoPath) => {
      await client.query(`CREATE OR REPLACE FUNCTION die_when_marking_done() RETURNS trigger LANGUAGE plpgsql AS $$
                          BEGIN
                            IF NEW.stage = ${literal(stage)} AND NEW.status IN ('done', 'skipped')
                               AND NEW.image_id = (SELECT id FROM images WHERE path = ${literal(photoPath)}) THEN
                              RAISE EXCEPTION '${MESSAGE}';
                            END IF;
                            RETURN NEW;
                          END $$`);
      await client.query(`CREATE TRIGGER die_when_marking_done BEFORE UPDATE ON image_stages FOR EACH ROW EXECUTE FUNCTION die_when_marking_done()`);
    },
    leaveAsKilled: async (stage, photoPath) => {
      await client.query('DROP TRIGGER die_when_marking_done ON image_stages');
      // The dead process's lease has run out, so a restarted indexer takes the stage back.
      await client.query(
        `UPDATE image_stages SET status = 'running', error = NULL, lease_until = NULL WHERE stage = $1 AND image_id = (SELECT id FROM images WHERE path = $2)`,
        [stage, photoPath],
      );
      await client.query(`UPDATE images SET status = 'pending', error = NULL WHERE path = $1 AND status = 'failed'`, [photoPath]);
    },
    close: () => client.end(),
  };
}
