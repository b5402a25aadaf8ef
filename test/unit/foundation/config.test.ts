import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../server/config';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/fairreview', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('loadConfig', function () {
  it('applies defaults to a minimal environment', function () {
    const config = loadConfig(base);
    expect(config).to.include({ PORT: 3000, HOST: '127.0.0.1', LOG_LEVEL: 'info', FAIRREVIEW_DEMO: false, QUEUE_PREFIX: 'fairreview' });
    expect(config.AUTH_SECRET).to.have.length.at.least(32);
  });

  it('names every bad variable in one error', function () {
    let error: unknown;
    try {
      loadConfig({ MONGODB_URI: 'postgres://x', PORT: 'eighty', REDIS_URL: 'redis://r' });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).variables).to.have.members(['MONGODB_URI', 'PORT']);
    expect((error as ConfigError).message).to.match(/MONGODB_URI: .*mongodb/).and.match(/PORT/);
  });

  it('reports missing required variables', function () {
    expect(() => loadConfig({})).to.throw(ConfigError, /MONGODB_URI.*REDIS_URL|REDIS_URL.*MONGODB_URI/);
  });

  it('requires AUTH_SECRET in production outside demo mode, and nowhere else', function () {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).to.throw(ConfigError, /AUTH_SECRET/);
    expect(loadConfig({ ...base, NODE_ENV: 'production', FAIRREVIEW_DEMO: 'true' }).FAIRREVIEW_DEMO).to.equal(true);
    const secret = 'x'.repeat(40);
    expect(loadConfig({ ...base, NODE_ENV: 'production', AUTH_SECRET: secret }).AUTH_SECRET).to.equal(secret);
    expect(() => loadConfig({ ...base, AUTH_SECRET: 'short' })).to.throw(ConfigError, /AUTH_SECRET/);
  });
});
