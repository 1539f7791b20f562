// The corner stack where results and notices appear; announced politely to screen readers.
import { Close } from 'pixelarticons/react';
import { useToasts } from '../stores/toasts';

export function Toasts() {
  const toasts = useToasts((state) => state.toasts);
  const dismiss = useToasts((state) => state.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast panel ${toast.level}`}>
          <p>{toast.message}</p>
          {toast.action ? (
            <button
              type="button"
              className="btn"
              onClick={() => {
                dismiss(toast.id);
                toast.action!.run();
              }}
            >
              {toast.action.label}
            </button>
          ) : null}
          <button type="button" className="btn ghost icon-only" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
            <Close className="icon small" aria-hidden="true" />
          </button>
        </div>
      ))}
    </div>
  );
}
