// The search bar's "Deep" switch: also search the words written about photos, printed in them and in their
// captions, fused with the image model. Turning it on or off re-runs the current query.
import { Notes } from 'pixelarticons/react';
import { useDeepSearch } from '../stores/deep-search';
import { useSearch } from '../stores/search';

export function DeepSearchToggle() {
  const enabled = useDeepSearch((state) => state.enabled);
  const setEnabled = useDeepSearch((state) => state.setEnabled);
  const run = useSearch((state) => state.run);
  return (
    <button
      type="button"
      className="btn deep-toggle"
      aria-pressed={enabled}
      title="Deep search: also match titles, keywords, people, text in photos, captions, file and folder names"
      onClick={() => {
        setEnabled(!enabled);
        void run();
      }}
    >
      <Notes className="icon small" aria-hidden="true" />
      Deep
    </button>
  );
}
