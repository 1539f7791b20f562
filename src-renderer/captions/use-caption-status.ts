// Keeps the captioner's status fresh while a view shows it: loaded on mount, then again whenever indexing
// progress moves (captioning is a background stage, so its photos move that progress), at most once a second.
import { useEffect, useRef } from 'react';
import { useEngine } from '../stores/engine';
import { useCaptions } from './captions-store';

const REFRESH_MS = 1000;

export function useCaptionStatus() {
  const jobs = useEngine((state) => state.jobs);
  const load = useCaptions((state) => state.load);
  const last = useRef(0);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    const wait = Math.max(0, last.current + REFRESH_MS - Date.now());
    const timer = setTimeout(() => {
      last.current = Date.now();
      void load();
    }, wait);
    return () => clearTimeout(timer);
  }, [jobs, load]);
  return useCaptions((state) => state.status);
}
