/** GET /metrics: Prometheus text with HTTP latency by route pattern, the queues, and the backing services. */
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, type DemoUsers, type PolicyBody } from '../api/policyHelpers';

describe('GET /metrics (prom-client)', function () {
  let app: TestApp;
  let u: DemoUsers;
  before(async function () {
    app = await startTestApp({ label: 'metrics' });
    u = await demoUsers(app);
  });
  after(async function () {
    await app?.close();
  });

  it('reports request latency under the route pattern, jobs per queue and state, and store and Redis up', async function () {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '指标检查', kind: 'normative_document', issuingLevel: 'department' });
    expect((await u.drafter.api.get(`/api/v1/policies/${created.body.id}`)).status).to.equal(200);
    await app.deps.queues.reports.add('render', { reportId: 'metrics-test' }, { jobId: 'metrics-test' });

    const res = await fetch(`${app.baseUrl}/metrics`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain/);
    const text = await res.text();
    expect(text).to.match(/fairreview_http_request_duration_seconds_count\{[^}]*method="GET",route="\/api\/v1\/policies\/:id",status="200"[^}]*\} 1\n/);
    expect(text).to.match(/fairreview_http_request_duration_seconds_count\{[^}]*method="POST",route="\/api\/v1\/policies",status="201"/);
    expect(text, 'ids never become series').not.to.include(created.body.id);
    expect(text).to.match(/fairreview_queue_jobs\{[^}]*queue="reports",state="waiting"[^}]*\} 1\n/);
    expect(text).to.match(/fairreview_queue_jobs\{[^}]*queue="analysis",state="failed"[^}]*\} 0\n/);
    expect(text).to.match(/fairreview_up\{[^}]*component="store"[^}]*\} 1\n/);
    expect(text).to.match(/fairreview_up\{[^}]*component="redis"[^}]*\} 1\n/);
    expect(text).to.include('fairreview_process_cpu_seconds_total');
  });
});
