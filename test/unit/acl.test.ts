import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enforceVersionProblem } from '../../coordinator/artifacts/versions';
import { digestOf } from '../../coordinator/ensemble/zookeeper-users';
import { describeAcl, PERMS, registryAcl, sameAcl } from '../../coordinator/zookeeper/acl';

const dubbo = digestOf('dubbo', 'secret-1');
const ops = digestOf('ops', 'secret-2');

test("a digest is ZooKeeper's: name:base64(sha1(name:password))", () => {
  // The value DigestAuthenticationProvider.generateDigest prints for super:secretpw (checked with 3.8.0's jar).
  assert.equal(digestOf('super', 'secretpw').digest, 'super:kdkHZPry8XrtME7WGJ+d+Md0E1w=');
  assert.equal(dubbo.auth, 'dubbo:secret-1');
});

test('the registry ACL: writers all, other users read; anyone reads only while nothing is enforced', () => {
  const enforced = registryAcl([dubbo, ops], ['dubbo'], true);
  assert.deepEqual(enforced, [
    { perms: PERMS.all, scheme: 'digest', auth: dubbo.digest },
    { perms: PERMS.read, scheme: 'digest', auth: ops.digest },
  ]);
  assert.equal(describeAcl(enforced), 'dubbo: all, ops: read');
  const open = registryAcl([dubbo, ops], ['dubbo'], false);
  assert.equal(describeAcl(open), 'dubbo: all, ops: read, anyone: read');
  assert.ok(sameAcl([...enforced].reverse(), enforced), 'the order ZooKeeper returns them in does not matter');
  assert.ok(!sameAcl(open, enforced));
});

test('enforcement needs 3.7.0; ACLs alone do not', () => {
  assert.match(
    enforceVersionProblem('3.4.13') ?? '',
    /3\.4\.13 cannot refuse anonymous clients .*3\.7\.0.*enforce: false/,
  );
  assert.match(enforceVersionProblem('3.6.4') ?? '', /3\.7\.0/);
  assert.equal(enforceVersionProblem('3.7.0'), undefined);
  assert.equal(enforceVersionProblem('3.8.0'), undefined);
});
