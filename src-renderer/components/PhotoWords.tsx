// The viewer's words section: what people wrote about the photo (title, description, keywords, people tagged),
// and the text read in it (the viewer shows the model's caption just above).
import type { PhotoDetails } from '../../src-preload/api';
import '../styles/deep-search.css';

export function PhotoWords({ details }: { details: PhotoDetails }) {
  const words = details.words;
  if (!words) return null;
  const { title, description, keywords, people, ocr, sources, problem } = words;
  const empty = !title && !description && keywords.length === 0 && people.length === 0 && !ocr;
  if (empty && !problem) return null;
  return (
    <section className="photo-words" aria-label="Words" data-testid="photo-words">
      {title ? (
        <p className="photo-title" data-testid="photo-title">
          {title}
        </p>
      ) : null}
      {description ? (
        <p className="photo-description" data-testid="photo-description">
          {description}
        </p>
      ) : null}
      {keywords.length ? (
        <>
          <h3>Keywords</h3>
          <div className="chips" data-testid="photo-keywords">
            {keywords.map((k) => (
              <span key={k} className="chip">
                {k}
              </span>
            ))}
          </div>
        </>
      ) : null}
      {people.length ? (
        <>
          <h3>People</h3>
          <p>{people.join(', ')}</p>
        </>
      ) : null}
      {ocr ? (
        <>
          <h3>Text in the photo</h3>
          <p className="ocr-text" data-testid="photo-ocr">
            {ocr.text}
          </p>
        </>
      ) : null}
      {sources.length ? <p className="photo-words-source">From {sources.join(', ')}</p> : null}
      {problem ? <div className="error-detail">{problem}</div> : null}
    </section>
  );
}
