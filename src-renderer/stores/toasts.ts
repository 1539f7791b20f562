// Short-lived messages in the corner: results of imports and deletes, engine notices, errors that are not tied to
// one view. Errors stay until dismissed; the rest fade after a few seconds.
import { create } from 'zustand';

export interface ToastAction {
  label: string;
  run(): void;
}

export interface Toast {
  id: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  action?: ToastAction;
}

/** Long enough to reach an Undo without hurrying. */
const ACTION_TOAST_MS = 10_000;

interface ToastState {
  toasts: Toast[];
  push(level: Toast['level'], message: string, action?: ToastAction): void;
  dismiss(id: number): void;
}

let nextId = 1;

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  push(level, message, action) {
    const id = nextId++;
    set({ toasts: [...get().toasts.slice(-4), action ? { id, level, message, action } : { id, level, message }] });
    if (level !== 'error') setTimeout(() => get().dismiss(id), action ? ACTION_TOAST_MS : 5000);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((toast) => toast.id !== id) });
  },
}));
