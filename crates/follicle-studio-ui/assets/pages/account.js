// My account: every user changes their own password here.
import { h } from '../dom.js';
import { passwordCard } from './users.js';

export async function render(ctx) {
  return h('div', { class: 'page' }, h('div', { class: 'page-head' }, h('h1', {}, 'My account')),
    h('p', { class: 'muted' }, `${ctx.me.user.display_name} (${ctx.me.user.username})`), passwordCard(ctx));
}
