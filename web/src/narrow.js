/** Whether the screen is phone-narrow (under 600 px): lists then show as cards instead of tables. */
import { onBeforeUnmount, ref } from 'vue';

export function useNarrow() {
  const query = window.matchMedia('(max-width: 600px)');
  const narrow = ref(query.matches);
  const update = () => { narrow.value = query.matches; };
  query.addEventListener('change', update);
  onBeforeUnmount(() => query.removeEventListener('change', update));
  return narrow;
}
