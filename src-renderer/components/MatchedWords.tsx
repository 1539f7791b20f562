// Under a deep-search hit: the fields whose words matched, each with its excerpt and the matched words marked,
// so a person sees why the photo was found ("title: Tram 28 in Lisbon").
import type { MatchedField, TextField } from '../../src-preload/api';

export const FIELD_LABELS: Record<TextField, string> = {
  title: 'Title',
  keywords: 'Keywords',
  people: 'People',
  description: 'Description',
  ocr: 'Text in photo',
  fileName: 'File',
  folderName: 'Folder',
  caption: 'Caption',
};

export function HighlightedSnippet({ field }: { field: MatchedField }) {
  const parts: Array<{ text: string; marked: boolean }> = [];
  let at = 0;
  for (const [start, end] of field.highlights) {
    if (start > at) parts.push({ text: field.snippet.slice(at, start), marked: false });
    parts.push({ text: field.snippet.slice(start, end), marked: true });
    at = end;
  }
  if (at < field.snippet.length) parts.push({ text: field.snippet.slice(at), marked: false });
  return (
    <span className="snippet">
      {parts.map((part, i) => (part.marked ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </span>
  );
}

export function MatchedWords({ fields }: { fields: MatchedField[] }) {
  if (fields.length === 0) return null;
  return (
    <ul className="matched-words" data-testid="matched-words">
      {fields.slice(0, 3).map((field) => (
        <li key={field.field}>
          <span className="label">{FIELD_LABELS[field.field]}</span> <HighlightedSnippet field={field} />
        </li>
      ))}
    </ul>
  );
}
