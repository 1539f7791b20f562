// The engine asks before adding a folder that is a whole disk or holds every user's home (CONFIRMATION_REQUIRED):
// this dialog puts its question to the person, who adds it anyway or keeps it out.
import { useEffect, useRef } from 'react';

export interface FolderQuestion {
  path: string;
  /** The engine's own words: what the folder is and why it is asked about. */
  message: string;
}

export function ConfirmFolderDialog({ question, onAnswer }: { question: FolderQuestion | null; onAnswer(yes: boolean): void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (question) cancelRef.current?.focus();
  }, [question]);

  if (!question) return null;
  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onAnswer(false)}>
      <div
        className="dialog panel"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-folder-title"
        aria-describedby="confirm-folder-message"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onAnswer(false);
          }
        }}
      >
        <h2 id="confirm-folder-title">Add {question.path}?</h2>
        <p id="confirm-folder-message">{question.message.replace(/ Add it anyway only if.*$/, '')}</p>
        <p>Add it anyway only if you mean to index everything in it.</p>
        <div className="actions">
          <button ref={cancelRef} type="button" className="btn" onClick={() => onAnswer(false)}>
            Cancel
          </button>
          <button type="button" className="btn danger" onClick={() => onAnswer(true)}>
            Add anyway
          </button>
        </div>
      </div>
    </div>
  );
}
