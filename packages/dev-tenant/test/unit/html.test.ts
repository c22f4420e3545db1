import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { escapeHtml, html, layout, trusted } from '../../src/html.ts';
import { pickAccountPage } from '../../src/pages.ts';
import { DEMO_USERS } from '../../src/users.ts';

describe('HTML output', () => {
  it('should escape every interpolated value unless marked trusted', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(html`<p>${'<b>'}${trusted('<i>ok</i>')}</p>`.html, '<p>&lt;b&gt;<i>ok</i></p>');
  });
  it('should put the banner and the stylesheet on every page and no inline script', () => {
    const page = layout({ title: 'T', body: trusted('<p>x</p>') });
    assert.match(page, /Development tenant — this is not Microsoft Entra ID\. Demo accounts only\./);
    assert.match(page, /<link rel="stylesheet" href="\/devtenant-assets\/devtenant\.css">/);
    assert.doesNotMatch(page, /<script/);
  });
  it('should give each account button a name containing the display name', () => {
    const page = pickAccountPage({ users: DEMO_USERS, clientName: '<App>', permissions: ['User.Read'], selectAction: '/s', cancelAction: '/c', footer: 'f' });
    for (const user of DEMO_USERS) {
      assert.match(page, new RegExp(`value="${user.oid}" class="dt-account">[\\s\\S]*?<span class="dt-name">${user.displayName}</span>`));
    }
    assert.match(page, /&lt;App&gt;/);
    assert.match(page, />Cancel<\/button>/);
  });
});
