/**
 * Whether the screen is at most `maxWidth` px wide (default 600: phones, where lists show as cards instead of
 * tables). Follows the window as it is resized or turned.
 */
import { onBeforeUnmount, ref } from 'vue';

export function useNarrow(maxWidth = 600) {
  const query = window.matchMedia(`(max-width: ${maxWidth}px)`);
  const narrow = ref(query.matches);
  const update = () => { narrow.value = query.matches; };
  query.addEventListener('change', update);
  onBeforeUnmount(() => query.removeEventListener('change', update));
  return narrow;
}
