// The `glimpse faces` and `glimpse people …` commands: face detection on any image and every decision about
// people, on the same Api as the People view, with the JSON shapes scripts rely on.
import path from 'node:path';
import type { Command } from 'commander';
import type { OperationName, OperationOutput, PersonSummary } from '../src-preload/api';
import type { Api } from './api/api-types';
import { GlimpseError } from './errors';

interface Options {
  dataDir?: string;
  json?: boolean;
}

type Call = <K extends OperationName>(api: Api, operation: K, input: unknown) => Promise<OperationOutput<K>>;

export interface CliHelpers {
  common: (command: Command) => Command;
  withApi: <T>(options: Options, run: (api: Api) => Promise<T>) => Promise<T>;
  call: Call;
  print: (options: Options, value: unknown, human: () => string) => void;
}

/** A person named on the command line: an id, or a name (any letter case). */
export async function resolvePerson(call: Call, api: Api, reference: string): Promise<number> {
  if (/^\d+$/.test(reference)) return Number(reference);
  const { people } = await call(api, 'people.list', { includeHidden: true });
  const found = people.find((p) => p.name?.toLowerCase() === reference.trim().toLowerCase());
  if (!found) throw new GlimpseError('NOT_FOUND', `No person is named "${reference}": see \`glimpse people\``, reference);
  return found.id;
}

function describePerson(p: PersonSummary): string {
  return `${p.id.toString().padStart(5)}  ${(p.name ?? '(unnamed)').padEnd(24)}  ${p.faceCount} face(s) in ${p.photoCount} photo(s)${p.hidden ? '  hidden' : ''}${
    p.lookalike ? `  — is this ${p.lookalike.name}? (${p.lookalike.similarity.toFixed(2)})` : ''
  }`;
}

export function registerFaceCommands(program: Command, { common, withApi, call, print }: CliHelpers): void {
  common(program.command('faces').description('find the faces in an image file: boxes in its own pixels and confidence').argument('<image>'))
    .action(async (image: string, options: Options) => {
      await withApi(options, async (api) => {
        const result = await call(api, 'faces.detect', { path: path.resolve(image) });
        print(options, { faces: result.faces }, () =>
          result.faces.length === 0
            ? 'No faces found.'
            : result.faces.map((f) => `[${f.box.join(', ')}]  ${(f.confidence * 100).toFixed(0)}%`).join('\n'),
        );
      });
    });

  const people = common(program.command('people').description('the people in the library, and decisions about them'))
    .option('--hidden', 'include hidden people')
    .action(async (options: Options & { hidden?: boolean }) => {
      await withApi(options, async (api) => {
        const list = await call(api, 'people.list', { includeHidden: Boolean(options.hidden) || Boolean(options.json) });
        const details = await Promise.all(list.people.map((p) => call(api, 'people.get', { id: p.id })));
        const json = {
          people: details.map(({ person, faces }) => ({
            id: person.id,
            name: person.name,
            hidden: person.hidden,
            faces: faces.map((f) => ({ id: f.id, photo: f.photo, box: f.box })),
          })),
          unassignedFaces: list.unassignedFaces,
        };
        print(options, json, () => [...list.people.map(describePerson), `${list.unassignedFaces} face(s) not yet anyone's`].join('\n'));
      });
    });

  const decision = (name: string, description: string, args: string[], run: (api: Api, values: Array<string | string[]>) => Promise<PersonSummary>) => {
    const command = common(people.command(name).description(description));
    for (const arg of args) command.argument(arg);
    command.action(async (...received: unknown[]) => {
      const values = received.slice(0, args.length) as Array<string | string[]>;
      // `people` itself takes --json and --data-dir, so they may be parsed there: read them from both levels.
      const options = (received[args.length + 1] as Command).optsWithGlobals<Options>();
      await withApi(options, async (api) => {
        const person = await run(api, values);
        const undo = 'undoId' in person ? `\nUndo with: glimpse people undo-merge ${String(person.undoId)}` : '';
        print(options, person, () => `${describePerson(person)}${undo}`);
      });
    });
  };
  const list = (values: string | string[]) => (Array.isArray(values) ? values : [values]);
  const ids = (values: string | string[]) => list(values).map(Number);
  const one = (value: string | string[]) => list(value).join(' ');

  decision('name', 'give a person a name', ['<person>', '<name...>'], async (api, [person, name]) =>
    call(api, 'people.rename', { id: await resolvePerson(call, api, one(person)), name: one(name) }),
  );
  decision('merge', 'merge people into the first one (prints an undoId for `people undo-merge`)', ['<into>', '<from...>'], async (api, [into, from]) =>
    call(api, 'people.merge', {
      into: await resolvePerson(call, api, one(into)),
      from: await Promise.all(list(from).map((p) => resolvePerson(call, api, p))),
    }),
  );
  common(people.command('undo-merge').description('take a merge back: the people, faces, pins and names return as they were').argument('<undoId>'))
    .action(async (undoId: string, _options: Options, command: Command) => {
      const options = command.optsWithGlobals<Options>();
      await withApi(options, async (api) => {
        const restored = await call(api, 'people.undoMerge', { undoId: Number(undoId) });
        print(options, { people: restored }, () => restored.map(describePerson).join('\n'));
      });
    });
  decision('split', 'move the given faces of a person to a new person', ['<person>', '<faces...>'], async (api, [person, faces]) =>
    call(api, 'people.split', { id: await resolvePerson(call, api, one(person)), faceIds: ids(faces) }),
  );
  decision('reject', 'this face is not this person (never offered again)', ['<person>', '<faces...>'], async (api, [person, faces]) =>
    call(api, 'people.reject', { id: await resolvePerson(call, api, one(person)), faceIds: ids(faces) }),
  );
  decision('hide', 'hide a person from the People view', ['<person>'], async (api, [person]) =>
    call(api, 'people.hide', { id: await resolvePerson(call, api, one(person)), hidden: true }),
  );
  decision('unhide', 'show a hidden person again', ['<person>'], async (api, [person]) =>
    call(api, 'people.hide', { id: await resolvePerson(call, api, one(person)), hidden: false }),
  );

  common(people.command('forget').description('delete every face, person and decision, and stop recognising faces'))
    .action(async (_options: Options, command: Command) => {
      const options = command.optsWithGlobals<Options>();
      await withApi(options, async (api) => {
        const result = await call(api, 'people.forget', undefined);
        print(options, result, () => `Forgot ${result.faces} face(s) and ${result.people} person(s); face recognition is now off.`);
      });
    });

}
