// Asked before a merge would drop a name (two people named differently): merging cannot keep both names, so the
// person confirms which one is lost, or keeps them apart.
import { useEffect, useRef } from 'react';
import { displayName, mergeQuestionText, usePeopleMerge } from '../stores/people-merge';

export function MergePeopleDialog() {
  const question = usePeopleMerge((s) => s.question);
  const answer = usePeopleMerge((s) => s.answer);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  // Focus goes to the safe answer, and back where it was (the card's Move button) once answered.
  useEffect(() => {
    if (question) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      cancelRef.current?.focus();
    } else if (returnFocus.current?.isConnected) {
      returnFocus.current.focus();
      returnFocus.current = null;
    }
  }, [question]);

  if (!question) return null;
  const from = question.from.map(displayName).join(', ');
  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && void answer(false)}>
      <div
        className="dialog panel"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="merge-people-title"
        aria-describedby="merge-people-message"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            void answer(false);
          }
        }}
      >
        <h2 id="merge-people-title">
          Merge {from} into {displayName(question.into)}?
        </h2>
        <p id="merge-people-message">{mergeQuestionText(question)}</p>
        <div className="actions">
          <button ref={cancelRef} type="button" className="btn" onClick={() => void answer(false)}>
            Keep apart
          </button>
          <button type="button" className="btn danger" onClick={() => void answer(true)}>
            Merge
          </button>
        </div>
      </div>
    </div>
  );
}
