import { describe, expect, it } from 'vitest';
import { SANDBOX_API_TOKEN, SANDBOX_EMAIL, createJiraSandbox } from '@ml-connector/jira/testing';

const basic = `Basic ${Buffer.from(`${SANDBOX_EMAIL}:${SANDBOX_API_TOKEN}`).toString('base64')}`;

async function call(sandbox: ReturnType<typeof createJiraSandbox>, path: string, init: RequestInit = {}) {
  const response = await sandbox.fetch(`${sandbox.siteUrl()}/rest/api/3/${path}`, { ...init, headers: { authorization: basic, 'content-type': 'application/json', ...init.headers } });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> };
}

describe('Jira emulator: myself and mypermissions', () => {
  it('answers mypermissions per project key, with denied permissions false, and refuses creating issues without CREATE_ISSUES', async () => {
    const open = createJiraSandbox();
    const granted = await call(open, 'mypermissions?projectKey=FIN&permissions=CREATE_ISSUES,BROWSE_PROJECTS');
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({
      permissions: {
        CREATE_ISSUES: { id: '11', key: 'CREATE_ISSUES', name: 'Create Issues', type: 'PROJECT', description: 'Create Issues', havePermission: true },
        BROWSE_PROJECTS: { id: '10', key: 'BROWSE_PROJECTS', name: 'Browse Projects', type: 'PROJECT', description: 'Browse Projects', havePermission: true },
      },
    });
    expect((await call(open, 'mypermissions')).status).toBe(400);
    expect((await call(open, 'mypermissions?permissions=NO_SUCH')).status).toBe(400);
    expect((await call(open, 'mypermissions?projectKey=NOPE&permissions=CREATE_ISSUES')).status).toBe(404);

    const denied = createJiraSandbox({ deniedPermissions: ['CREATE_ISSUES'] });
    const answer = await call(denied, 'mypermissions?projectKey=FIN&permissions=CREATE_ISSUES');
    expect((answer.body['permissions'] as Record<string, { havePermission: boolean }>)['CREATE_ISSUES']!.havePermission).toBe(false);
    const create = await call(denied, 'issue', { method: 'POST', body: JSON.stringify({ fields: { project: { key: 'FIN' }, issuetype: { name: 'Task' }, summary: 'x' } }) });
    expect(create.status).toBe(403);
  });

  it('answers myself with the caller', async () => {
    const me = await call(createJiraSandbox(), 'myself');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ accountType: 'atlassian', displayName: SANDBOX_EMAIL, active: true });
  });
});
