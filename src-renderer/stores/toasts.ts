// Short-lived messages in the corner: results of imports and deletes, engine notices, errors that are not tied to
// one view. Errors stay until dismissed; the rest fade after a few seconds.
import { create } from 'zustand';

export interface Toast {
  id: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

interface ToastState {
  toasts: Toast[];
  push(level: Toast['level'], message: string): void;
  dismiss(id: number): void;
}

let nextId = 1;

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  push(level, message) {
    const id = nextId++;
    set({ toasts: [...get().toasts.slice(-4), { id, level, message }] });
    if (level !== 'error') setTimeout(() => get().dismiss(id), 5000);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((toast) => toast.id !== id) });
  },
}));
