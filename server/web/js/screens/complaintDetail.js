/** Placeholder until the API lands. */
import { h, mount } from '../dom.js';

export async function render(root) {
  mount(root, h('div', { class: 'card' }, h('p', { class: 'muted' }, '此功能正在建设中。')));
}
