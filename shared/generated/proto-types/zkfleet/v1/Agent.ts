// Original file: proto/zkfleet.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ArtifactChunk as _zkfleet_v1_ArtifactChunk, ArtifactChunk__Output as _zkfleet_v1_ArtifactChunk__Output } from '../../zkfleet/v1/ArtifactChunk';
import type { BackupChunk as _zkfleet_v1_BackupChunk, BackupChunk__Output as _zkfleet_v1_BackupChunk__Output } from '../../zkfleet/v1/BackupChunk';
import type { BackupRequest as _zkfleet_v1_BackupRequest, BackupRequest__Output as _zkfleet_v1_BackupRequest__Output } from '../../zkfleet/v1/BackupRequest';
import type { BuildImageEvent as _zkfleet_v1_BuildImageEvent, BuildImageEvent__Output as _zkfleet_v1_BuildImageEvent__Output } from '../../zkfleet/v1/BuildImageEvent';
import type { BuildImageRequest as _zkfleet_v1_BuildImageRequest, BuildImageRequest__Output as _zkfleet_v1_BuildImageRequest__Output } from '../../zkfleet/v1/BuildImageRequest';
import type { ConfigureZooKeeperRequest as _zkfleet_v1_ConfigureZooKeeperRequest, ConfigureZooKeeperRequest__Output as _zkfleet_v1_ConfigureZooKeeperRequest__Output } from '../../zkfleet/v1/ConfigureZooKeeperRequest';
import type { ExecEvent as _zkfleet_v1_ExecEvent, ExecEvent__Output as _zkfleet_v1_ExecEvent__Output } from '../../zkfleet/v1/ExecEvent';
import type { ExecRequest as _zkfleet_v1_ExecRequest, ExecRequest__Output as _zkfleet_v1_ExecRequest__Output } from '../../zkfleet/v1/ExecRequest';
import type { Facts as _zkfleet_v1_Facts, Facts__Output as _zkfleet_v1_Facts__Output } from '../../zkfleet/v1/Facts';
import type { FactsRequest as _zkfleet_v1_FactsRequest, FactsRequest__Output as _zkfleet_v1_FactsRequest__Output } from '../../zkfleet/v1/FactsRequest';
import type { HasArtifactReply as _zkfleet_v1_HasArtifactReply, HasArtifactReply__Output as _zkfleet_v1_HasArtifactReply__Output } from '../../zkfleet/v1/HasArtifactReply';
import type { HasArtifactRequest as _zkfleet_v1_HasArtifactRequest, HasArtifactRequest__Output as _zkfleet_v1_HasArtifactRequest__Output } from '../../zkfleet/v1/HasArtifactRequest';
import type { InstallRequest as _zkfleet_v1_InstallRequest, InstallRequest__Output as _zkfleet_v1_InstallRequest__Output } from '../../zkfleet/v1/InstallRequest';
import type { LeaseReply as _zkfleet_v1_LeaseReply, LeaseReply__Output as _zkfleet_v1_LeaseReply__Output } from '../../zkfleet/v1/LeaseReply';
import type { LeaseRequest as _zkfleet_v1_LeaseRequest, LeaseRequest__Output as _zkfleet_v1_LeaseRequest__Output } from '../../zkfleet/v1/LeaseRequest';
import type { LogChunk as _zkfleet_v1_LogChunk, LogChunk__Output as _zkfleet_v1_LogChunk__Output } from '../../zkfleet/v1/LogChunk';
import type { ResolveReply as _zkfleet_v1_ResolveReply, ResolveReply__Output as _zkfleet_v1_ResolveReply__Output } from '../../zkfleet/v1/ResolveReply';
import type { ResolveRequest as _zkfleet_v1_ResolveRequest, ResolveRequest__Output as _zkfleet_v1_ResolveRequest__Output } from '../../zkfleet/v1/ResolveRequest';
import type { RestoreDataRequest as _zkfleet_v1_RestoreDataRequest, RestoreDataRequest__Output as _zkfleet_v1_RestoreDataRequest__Output } from '../../zkfleet/v1/RestoreDataRequest';
import type { StepResult as _zkfleet_v1_StepResult, StepResult__Output as _zkfleet_v1_StepResult__Output } from '../../zkfleet/v1/StepResult';
import type { UploadArtifactReply as _zkfleet_v1_UploadArtifactReply, UploadArtifactReply__Output as _zkfleet_v1_UploadArtifactReply__Output } from '../../zkfleet/v1/UploadArtifactReply';
import type { UpsertDnsRecordsRequest as _zkfleet_v1_UpsertDnsRecordsRequest, UpsertDnsRecordsRequest__Output as _zkfleet_v1_UpsertDnsRecordsRequest__Output } from '../../zkfleet/v1/UpsertDnsRecordsRequest';
import type { VerifyBackupReply as _zkfleet_v1_VerifyBackupReply, VerifyBackupReply__Output as _zkfleet_v1_VerifyBackupReply__Output } from '../../zkfleet/v1/VerifyBackupReply';
import type { VerifyBackupRequest as _zkfleet_v1_VerifyBackupRequest, VerifyBackupRequest__Output as _zkfleet_v1_VerifyBackupRequest__Output } from '../../zkfleet/v1/VerifyBackupRequest';
import type { ZooKeeperLogRequest as _zkfleet_v1_ZooKeeperLogRequest, ZooKeeperLogRequest__Output as _zkfleet_v1_ZooKeeperLogRequest__Output } from '../../zkfleet/v1/ZooKeeperLogRequest';
import type { ZooKeeperServerKeyReply as _zkfleet_v1_ZooKeeperServerKeyReply, ZooKeeperServerKeyReply__Output as _zkfleet_v1_ZooKeeperServerKeyReply__Output } from '../../zkfleet/v1/ZooKeeperServerKeyReply';
import type { ZooKeeperServerKeyRequest as _zkfleet_v1_ZooKeeperServerKeyRequest, ZooKeeperServerKeyRequest__Output as _zkfleet_v1_ZooKeeperServerKeyRequest__Output } from '../../zkfleet/v1/ZooKeeperServerKeyRequest';
import type { ZooKeeperServiceReply as _zkfleet_v1_ZooKeeperServiceReply, ZooKeeperServiceReply__Output as _zkfleet_v1_ZooKeeperServiceReply__Output } from '../../zkfleet/v1/ZooKeeperServiceReply';
import type { ZooKeeperServiceRequest as _zkfleet_v1_ZooKeeperServiceRequest, ZooKeeperServiceRequest__Output as _zkfleet_v1_ZooKeeperServiceRequest__Output } from '../../zkfleet/v1/ZooKeeperServiceRequest';
import type { ZooKeeperStatus as _zkfleet_v1_ZooKeeperStatus, ZooKeeperStatus__Output as _zkfleet_v1_ZooKeeperStatus__Output } from '../../zkfleet/v1/ZooKeeperStatus';
import type { ZooKeeperStatusRequest as _zkfleet_v1_ZooKeeperStatusRequest, ZooKeeperStatusRequest__Output as _zkfleet_v1_ZooKeeperStatusRequest__Output } from '../../zkfleet/v1/ZooKeeperStatusRequest';

export interface AgentClient extends grpc.Client {
  /**
   * Backups. The server's newest snapshot and the transaction logs after it, streamed as they are on disk.
   */
  BackupData(argument: _zkfleet_v1_BackupRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_BackupChunk__Output>;
  BackupData(argument: _zkfleet_v1_BackupRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_BackupChunk__Output>;
  /**
   * Backups. The server's newest snapshot and the transaction logs after it, streamed as they are on disk.
   */
  backupData(argument: _zkfleet_v1_BackupRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_BackupChunk__Output>;
  backupData(argument: _zkfleet_v1_BackupRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_BackupChunk__Output>;
  
  /**
   * Build and push the JRE base image (ops host only); the build log is streamed.
   */
  BuildImage(argument: _zkfleet_v1_BuildImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_BuildImageEvent__Output>;
  BuildImage(argument: _zkfleet_v1_BuildImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_BuildImageEvent__Output>;
  /**
   * Build and push the JRE base image (ops host only); the build log is streamed.
   */
  buildImage(argument: _zkfleet_v1_BuildImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_BuildImageEvent__Output>;
  buildImage(argument: _zkfleet_v1_BuildImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_BuildImageEvent__Output>;
  
  ConfigureZooKeeper(argument: _zkfleet_v1_ConfigureZooKeeperRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  ConfigureZooKeeper(argument: _zkfleet_v1_ConfigureZooKeeperRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  ConfigureZooKeeper(argument: _zkfleet_v1_ConfigureZooKeeperRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  ConfigureZooKeeper(argument: _zkfleet_v1_ConfigureZooKeeperRequest, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  configureZooKeeper(argument: _zkfleet_v1_ConfigureZooKeeperRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  configureZooKeeper(argument: _zkfleet_v1_ConfigureZooKeeperRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  configureZooKeeper(argument: _zkfleet_v1_ConfigureZooKeeperRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  configureZooKeeper(argument: _zkfleet_v1_ConfigureZooKeeperRequest, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  
  /**
   * Audited ad-hoc command; output is streamed; cancelling the call kills the process group.
   */
  Exec(argument: _zkfleet_v1_ExecRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_ExecEvent__Output>;
  Exec(argument: _zkfleet_v1_ExecRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_ExecEvent__Output>;
  /**
   * Audited ad-hoc command; output is streamed; cancelling the call kills the process group.
   */
  exec(argument: _zkfleet_v1_ExecRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_ExecEvent__Output>;
  exec(argument: _zkfleet_v1_ExecRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_ExecEvent__Output>;
  
  /**
   * Host facts plus what zkfleet manages there (JDK, ZooKeeper, myid, mode).
   */
  Facts(argument: _zkfleet_v1_FactsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_Facts__Output>): grpc.ClientUnaryCall;
  Facts(argument: _zkfleet_v1_FactsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_Facts__Output>): grpc.ClientUnaryCall;
  Facts(argument: _zkfleet_v1_FactsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_Facts__Output>): grpc.ClientUnaryCall;
  Facts(argument: _zkfleet_v1_FactsRequest, callback: grpc.requestCallback<_zkfleet_v1_Facts__Output>): grpc.ClientUnaryCall;
  /**
   * Host facts plus what zkfleet manages there (JDK, ZooKeeper, myid, mode).
   */
  facts(argument: _zkfleet_v1_FactsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_Facts__Output>): grpc.ClientUnaryCall;
  facts(argument: _zkfleet_v1_FactsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_Facts__Output>): grpc.ClientUnaryCall;
  facts(argument: _zkfleet_v1_FactsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_Facts__Output>): grpc.ClientUnaryCall;
  facts(argument: _zkfleet_v1_FactsRequest, callback: grpc.requestCallback<_zkfleet_v1_Facts__Output>): grpc.ClientUnaryCall;
  
  /**
   * Content-addressed artifact store: ask first, upload only what is missing.
   */
  HasArtifact(argument: _zkfleet_v1_HasArtifactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_HasArtifactReply__Output>): grpc.ClientUnaryCall;
  HasArtifact(argument: _zkfleet_v1_HasArtifactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_HasArtifactReply__Output>): grpc.ClientUnaryCall;
  HasArtifact(argument: _zkfleet_v1_HasArtifactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_HasArtifactReply__Output>): grpc.ClientUnaryCall;
  HasArtifact(argument: _zkfleet_v1_HasArtifactRequest, callback: grpc.requestCallback<_zkfleet_v1_HasArtifactReply__Output>): grpc.ClientUnaryCall;
  /**
   * Content-addressed artifact store: ask first, upload only what is missing.
   */
  hasArtifact(argument: _zkfleet_v1_HasArtifactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_HasArtifactReply__Output>): grpc.ClientUnaryCall;
  hasArtifact(argument: _zkfleet_v1_HasArtifactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_HasArtifactReply__Output>): grpc.ClientUnaryCall;
  hasArtifact(argument: _zkfleet_v1_HasArtifactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_HasArtifactReply__Output>): grpc.ClientUnaryCall;
  hasArtifact(argument: _zkfleet_v1_HasArtifactRequest, callback: grpc.requestCallback<_zkfleet_v1_HasArtifactReply__Output>): grpc.ClientUnaryCall;
  
  InstallJdk(argument: _zkfleet_v1_InstallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  InstallJdk(argument: _zkfleet_v1_InstallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  InstallJdk(argument: _zkfleet_v1_InstallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  InstallJdk(argument: _zkfleet_v1_InstallRequest, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  installJdk(argument: _zkfleet_v1_InstallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  installJdk(argument: _zkfleet_v1_InstallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  installJdk(argument: _zkfleet_v1_InstallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  installJdk(argument: _zkfleet_v1_InstallRequest, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  
  InstallZooKeeper(argument: _zkfleet_v1_InstallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  InstallZooKeeper(argument: _zkfleet_v1_InstallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  InstallZooKeeper(argument: _zkfleet_v1_InstallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  InstallZooKeeper(argument: _zkfleet_v1_InstallRequest, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  installZooKeeper(argument: _zkfleet_v1_InstallRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  installZooKeeper(argument: _zkfleet_v1_InstallRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  installZooKeeper(argument: _zkfleet_v1_InstallRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  installZooKeeper(argument: _zkfleet_v1_InstallRequest, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  
  /**
   * The ensemble's deploy lease: one deploy or rollback at a time, held on every agent, with a TTL the
   * holder renews; a refusal names the holder.
   */
  Lease(argument: _zkfleet_v1_LeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_LeaseReply__Output>): grpc.ClientUnaryCall;
  Lease(argument: _zkfleet_v1_LeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_LeaseReply__Output>): grpc.ClientUnaryCall;
  Lease(argument: _zkfleet_v1_LeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_LeaseReply__Output>): grpc.ClientUnaryCall;
  Lease(argument: _zkfleet_v1_LeaseRequest, callback: grpc.requestCallback<_zkfleet_v1_LeaseReply__Output>): grpc.ClientUnaryCall;
  /**
   * The ensemble's deploy lease: one deploy or rollback at a time, held on every agent, with a TTL the
   * holder renews; a refusal names the holder.
   */
  lease(argument: _zkfleet_v1_LeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_LeaseReply__Output>): grpc.ClientUnaryCall;
  lease(argument: _zkfleet_v1_LeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_LeaseReply__Output>): grpc.ClientUnaryCall;
  lease(argument: _zkfleet_v1_LeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_LeaseReply__Output>): grpc.ClientUnaryCall;
  lease(argument: _zkfleet_v1_LeaseRequest, callback: grpc.requestCallback<_zkfleet_v1_LeaseReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Resolve names through the host's own resolver, as ZooKeeper will.
   */
  Resolve(argument: _zkfleet_v1_ResolveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ResolveReply__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _zkfleet_v1_ResolveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ResolveReply__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _zkfleet_v1_ResolveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ResolveReply__Output>): grpc.ClientUnaryCall;
  Resolve(argument: _zkfleet_v1_ResolveRequest, callback: grpc.requestCallback<_zkfleet_v1_ResolveReply__Output>): grpc.ClientUnaryCall;
  /**
   * Resolve names through the host's own resolver, as ZooKeeper will.
   */
  resolve(argument: _zkfleet_v1_ResolveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ResolveReply__Output>): grpc.ClientUnaryCall;
  resolve(argument: _zkfleet_v1_ResolveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ResolveReply__Output>): grpc.ClientUnaryCall;
  resolve(argument: _zkfleet_v1_ResolveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ResolveReply__Output>): grpc.ClientUnaryCall;
  resolve(argument: _zkfleet_v1_ResolveRequest, callback: grpc.requestCallback<_zkfleet_v1_ResolveReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Put a backup in place of a stopped server's data: dataDir and dataLogDir moved aside, never deleted.
   */
  RestoreData(argument: _zkfleet_v1_RestoreDataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  RestoreData(argument: _zkfleet_v1_RestoreDataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  RestoreData(argument: _zkfleet_v1_RestoreDataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  RestoreData(argument: _zkfleet_v1_RestoreDataRequest, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  /**
   * Put a backup in place of a stopped server's data: dataDir and dataLogDir moved aside, never deleted.
   */
  restoreData(argument: _zkfleet_v1_RestoreDataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  restoreData(argument: _zkfleet_v1_RestoreDataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  restoreData(argument: _zkfleet_v1_RestoreDataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  restoreData(argument: _zkfleet_v1_RestoreDataRequest, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  
  /**
   * First chunk carries the expected sha256 and size; the digest is verified before the file is kept.
   */
  UploadArtifact(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_UploadArtifactReply__Output>): grpc.ClientWritableStream<_zkfleet_v1_ArtifactChunk>;
  UploadArtifact(metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_UploadArtifactReply__Output>): grpc.ClientWritableStream<_zkfleet_v1_ArtifactChunk>;
  UploadArtifact(options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_UploadArtifactReply__Output>): grpc.ClientWritableStream<_zkfleet_v1_ArtifactChunk>;
  UploadArtifact(callback: grpc.requestCallback<_zkfleet_v1_UploadArtifactReply__Output>): grpc.ClientWritableStream<_zkfleet_v1_ArtifactChunk>;
  /**
   * First chunk carries the expected sha256 and size; the digest is verified before the file is kept.
   */
  uploadArtifact(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_UploadArtifactReply__Output>): grpc.ClientWritableStream<_zkfleet_v1_ArtifactChunk>;
  uploadArtifact(metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_UploadArtifactReply__Output>): grpc.ClientWritableStream<_zkfleet_v1_ArtifactChunk>;
  uploadArtifact(options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_UploadArtifactReply__Output>): grpc.ClientWritableStream<_zkfleet_v1_ArtifactChunk>;
  uploadArtifact(callback: grpc.requestCallback<_zkfleet_v1_UploadArtifactReply__Output>): grpc.ClientWritableStream<_zkfleet_v1_ArtifactChunk>;
  
  /**
   * Upsert A records in a BIND zone (DNS host only).
   */
  UpsertDnsRecords(argument: _zkfleet_v1_UpsertDnsRecordsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  UpsertDnsRecords(argument: _zkfleet_v1_UpsertDnsRecordsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  UpsertDnsRecords(argument: _zkfleet_v1_UpsertDnsRecordsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  UpsertDnsRecords(argument: _zkfleet_v1_UpsertDnsRecordsRequest, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  /**
   * Upsert A records in a BIND zone (DNS host only).
   */
  upsertDnsRecords(argument: _zkfleet_v1_UpsertDnsRecordsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  upsertDnsRecords(argument: _zkfleet_v1_UpsertDnsRecordsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  upsertDnsRecords(argument: _zkfleet_v1_UpsertDnsRecordsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  upsertDnsRecords(argument: _zkfleet_v1_UpsertDnsRecordsRequest, callback: grpc.requestCallback<_zkfleet_v1_StepResult__Output>): grpc.ClientUnaryCall;
  
  /**
   * Parse stored backup files (uploaded artifacts) with ZooKeeper's own tooling from the installed tree.
   */
  VerifyBackup(argument: _zkfleet_v1_VerifyBackupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_VerifyBackupReply__Output>): grpc.ClientUnaryCall;
  VerifyBackup(argument: _zkfleet_v1_VerifyBackupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_VerifyBackupReply__Output>): grpc.ClientUnaryCall;
  VerifyBackup(argument: _zkfleet_v1_VerifyBackupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_VerifyBackupReply__Output>): grpc.ClientUnaryCall;
  VerifyBackup(argument: _zkfleet_v1_VerifyBackupRequest, callback: grpc.requestCallback<_zkfleet_v1_VerifyBackupReply__Output>): grpc.ClientUnaryCall;
  /**
   * Parse stored backup files (uploaded artifacts) with ZooKeeper's own tooling from the installed tree.
   */
  verifyBackup(argument: _zkfleet_v1_VerifyBackupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_VerifyBackupReply__Output>): grpc.ClientUnaryCall;
  verifyBackup(argument: _zkfleet_v1_VerifyBackupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_VerifyBackupReply__Output>): grpc.ClientUnaryCall;
  verifyBackup(argument: _zkfleet_v1_VerifyBackupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_VerifyBackupReply__Output>): grpc.ClientUnaryCall;
  verifyBackup(argument: _zkfleet_v1_VerifyBackupRequest, callback: grpc.requestCallback<_zkfleet_v1_VerifyBackupReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * The server's log: its last lines, then (follow) what it writes, until the caller cancels.
   */
  ZooKeeperLog(argument: _zkfleet_v1_ZooKeeperLogRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_LogChunk__Output>;
  ZooKeeperLog(argument: _zkfleet_v1_ZooKeeperLogRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_LogChunk__Output>;
  /**
   * The server's log: its last lines, then (follow) what it writes, until the caller cancels.
   */
  zooKeeperLog(argument: _zkfleet_v1_ZooKeeperLogRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_LogChunk__Output>;
  zooKeeperLog(argument: _zkfleet_v1_ZooKeeperLogRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_zkfleet_v1_LogChunk__Output>;
  
  /**
   * The ZooKeeper server's TLS key (made here once; it never leaves the host): a request to sign it, and the
   * certificate the server has now.
   */
  ZooKeeperServerKey(argument: _zkfleet_v1_ZooKeeperServerKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServerKeyReply__Output>): grpc.ClientUnaryCall;
  ZooKeeperServerKey(argument: _zkfleet_v1_ZooKeeperServerKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServerKeyReply__Output>): grpc.ClientUnaryCall;
  ZooKeeperServerKey(argument: _zkfleet_v1_ZooKeeperServerKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServerKeyReply__Output>): grpc.ClientUnaryCall;
  ZooKeeperServerKey(argument: _zkfleet_v1_ZooKeeperServerKeyRequest, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServerKeyReply__Output>): grpc.ClientUnaryCall;
  /**
   * The ZooKeeper server's TLS key (made here once; it never leaves the host): a request to sign it, and the
   * certificate the server has now.
   */
  zooKeeperServerKey(argument: _zkfleet_v1_ZooKeeperServerKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServerKeyReply__Output>): grpc.ClientUnaryCall;
  zooKeeperServerKey(argument: _zkfleet_v1_ZooKeeperServerKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServerKeyReply__Output>): grpc.ClientUnaryCall;
  zooKeeperServerKey(argument: _zkfleet_v1_ZooKeeperServerKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServerKeyReply__Output>): grpc.ClientUnaryCall;
  zooKeeperServerKey(argument: _zkfleet_v1_ZooKeeperServerKeyRequest, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServerKeyReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * start / stop / restart through the distribution's zkServer.sh.
   */
  ZooKeeperService(argument: _zkfleet_v1_ZooKeeperServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServiceReply__Output>): grpc.ClientUnaryCall;
  ZooKeeperService(argument: _zkfleet_v1_ZooKeeperServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServiceReply__Output>): grpc.ClientUnaryCall;
  ZooKeeperService(argument: _zkfleet_v1_ZooKeeperServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServiceReply__Output>): grpc.ClientUnaryCall;
  ZooKeeperService(argument: _zkfleet_v1_ZooKeeperServiceRequest, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServiceReply__Output>): grpc.ClientUnaryCall;
  /**
   * start / stop / restart through the distribution's zkServer.sh.
   */
  zooKeeperService(argument: _zkfleet_v1_ZooKeeperServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServiceReply__Output>): grpc.ClientUnaryCall;
  zooKeeperService(argument: _zkfleet_v1_ZooKeeperServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServiceReply__Output>): grpc.ClientUnaryCall;
  zooKeeperService(argument: _zkfleet_v1_ZooKeeperServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServiceReply__Output>): grpc.ClientUnaryCall;
  zooKeeperService(argument: _zkfleet_v1_ZooKeeperServiceRequest, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperServiceReply__Output>): grpc.ClientUnaryCall;
  
  /**
   * Mode and 4lw figures; cheap enough to poll (no JVM is started).
   */
  ZooKeeperStatus(argument: _zkfleet_v1_ZooKeeperStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperStatus__Output>): grpc.ClientUnaryCall;
  ZooKeeperStatus(argument: _zkfleet_v1_ZooKeeperStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperStatus__Output>): grpc.ClientUnaryCall;
  ZooKeeperStatus(argument: _zkfleet_v1_ZooKeeperStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperStatus__Output>): grpc.ClientUnaryCall;
  ZooKeeperStatus(argument: _zkfleet_v1_ZooKeeperStatusRequest, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperStatus__Output>): grpc.ClientUnaryCall;
  /**
   * Mode and 4lw figures; cheap enough to poll (no JVM is started).
   */
  zooKeeperStatus(argument: _zkfleet_v1_ZooKeeperStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperStatus__Output>): grpc.ClientUnaryCall;
  zooKeeperStatus(argument: _zkfleet_v1_ZooKeeperStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperStatus__Output>): grpc.ClientUnaryCall;
  zooKeeperStatus(argument: _zkfleet_v1_ZooKeeperStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperStatus__Output>): grpc.ClientUnaryCall;
  zooKeeperStatus(argument: _zkfleet_v1_ZooKeeperStatusRequest, callback: grpc.requestCallback<_zkfleet_v1_ZooKeeperStatus__Output>): grpc.ClientUnaryCall;
  
}

export interface AgentHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Backups. The server's newest snapshot and the transaction logs after it, streamed as they are on disk.
   */
  BackupData: grpc.handleServerStreamingCall<_zkfleet_v1_BackupRequest__Output, _zkfleet_v1_BackupChunk>;
  
  /**
   * Build and push the JRE base image (ops host only); the build log is streamed.
   */
  BuildImage: grpc.handleServerStreamingCall<_zkfleet_v1_BuildImageRequest__Output, _zkfleet_v1_BuildImageEvent>;
  
  ConfigureZooKeeper: grpc.handleUnaryCall<_zkfleet_v1_ConfigureZooKeeperRequest__Output, _zkfleet_v1_StepResult>;
  
  /**
   * Audited ad-hoc command; output is streamed; cancelling the call kills the process group.
   */
  Exec: grpc.handleServerStreamingCall<_zkfleet_v1_ExecRequest__Output, _zkfleet_v1_ExecEvent>;
  
  /**
   * Host facts plus what zkfleet manages there (JDK, ZooKeeper, myid, mode).
   */
  Facts: grpc.handleUnaryCall<_zkfleet_v1_FactsRequest__Output, _zkfleet_v1_Facts>;
  
  /**
   * Content-addressed artifact store: ask first, upload only what is missing.
   */
  HasArtifact: grpc.handleUnaryCall<_zkfleet_v1_HasArtifactRequest__Output, _zkfleet_v1_HasArtifactReply>;
  
  InstallJdk: grpc.handleUnaryCall<_zkfleet_v1_InstallRequest__Output, _zkfleet_v1_StepResult>;
  
  InstallZooKeeper: grpc.handleUnaryCall<_zkfleet_v1_InstallRequest__Output, _zkfleet_v1_StepResult>;
  
  /**
   * The ensemble's deploy lease: one deploy or rollback at a time, held on every agent, with a TTL the
   * holder renews; a refusal names the holder.
   */
  Lease: grpc.handleUnaryCall<_zkfleet_v1_LeaseRequest__Output, _zkfleet_v1_LeaseReply>;
  
  /**
   * Resolve names through the host's own resolver, as ZooKeeper will.
   */
  Resolve: grpc.handleUnaryCall<_zkfleet_v1_ResolveRequest__Output, _zkfleet_v1_ResolveReply>;
  
  /**
   * Put a backup in place of a stopped server's data: dataDir and dataLogDir moved aside, never deleted.
   */
  RestoreData: grpc.handleUnaryCall<_zkfleet_v1_RestoreDataRequest__Output, _zkfleet_v1_StepResult>;
  
  /**
   * First chunk carries the expected sha256 and size; the digest is verified before the file is kept.
   */
  UploadArtifact: grpc.handleClientStreamingCall<_zkfleet_v1_ArtifactChunk__Output, _zkfleet_v1_UploadArtifactReply>;
  
  /**
   * Upsert A records in a BIND zone (DNS host only).
   */
  UpsertDnsRecords: grpc.handleUnaryCall<_zkfleet_v1_UpsertDnsRecordsRequest__Output, _zkfleet_v1_StepResult>;
  
  /**
   * Parse stored backup files (uploaded artifacts) with ZooKeeper's own tooling from the installed tree.
   */
  VerifyBackup: grpc.handleUnaryCall<_zkfleet_v1_VerifyBackupRequest__Output, _zkfleet_v1_VerifyBackupReply>;
  
  /**
   * The server's log: its last lines, then (follow) what it writes, until the caller cancels.
   */
  ZooKeeperLog: grpc.handleServerStreamingCall<_zkfleet_v1_ZooKeeperLogRequest__Output, _zkfleet_v1_LogChunk>;
  
  /**
   * The ZooKeeper server's TLS key (made here once; it never leaves the host): a request to sign it, and the
   * certificate the server has now.
   */
  ZooKeeperServerKey: grpc.handleUnaryCall<_zkfleet_v1_ZooKeeperServerKeyRequest__Output, _zkfleet_v1_ZooKeeperServerKeyReply>;
  
  /**
   * start / stop / restart through the distribution's zkServer.sh.
   */
  ZooKeeperService: grpc.handleUnaryCall<_zkfleet_v1_ZooKeeperServiceRequest__Output, _zkfleet_v1_ZooKeeperServiceReply>;
  
  /**
   * Mode and 4lw figures; cheap enough to poll (no JVM is started).
   */
  ZooKeeperStatus: grpc.handleUnaryCall<_zkfleet_v1_ZooKeeperStatusRequest__Output, _zkfleet_v1_ZooKeeperStatus>;
  
}

export interface AgentDefinition extends grpc.ServiceDefinition {
  BackupData: MethodDefinition<_zkfleet_v1_BackupRequest, _zkfleet_v1_BackupChunk, _zkfleet_v1_BackupRequest__Output, _zkfleet_v1_BackupChunk__Output>
  BuildImage: MethodDefinition<_zkfleet_v1_BuildImageRequest, _zkfleet_v1_BuildImageEvent, _zkfleet_v1_BuildImageRequest__Output, _zkfleet_v1_BuildImageEvent__Output>
  ConfigureZooKeeper: MethodDefinition<_zkfleet_v1_ConfigureZooKeeperRequest, _zkfleet_v1_StepResult, _zkfleet_v1_ConfigureZooKeeperRequest__Output, _zkfleet_v1_StepResult__Output>
  Exec: MethodDefinition<_zkfleet_v1_ExecRequest, _zkfleet_v1_ExecEvent, _zkfleet_v1_ExecRequest__Output, _zkfleet_v1_ExecEvent__Output>
  Facts: MethodDefinition<_zkfleet_v1_FactsRequest, _zkfleet_v1_Facts, _zkfleet_v1_FactsRequest__Output, _zkfleet_v1_Facts__Output>
  HasArtifact: MethodDefinition<_zkfleet_v1_HasArtifactRequest, _zkfleet_v1_HasArtifactReply, _zkfleet_v1_HasArtifactRequest__Output, _zkfleet_v1_HasArtifactReply__Output>
  InstallJdk: MethodDefinition<_zkfleet_v1_InstallRequest, _zkfleet_v1_StepResult, _zkfleet_v1_InstallRequest__Output, _zkfleet_v1_StepResult__Output>
  InstallZooKeeper: MethodDefinition<_zkfleet_v1_InstallRequest, _zkfleet_v1_StepResult, _zkfleet_v1_InstallRequest__Output, _zkfleet_v1_StepResult__Output>
  Lease: MethodDefinition<_zkfleet_v1_LeaseRequest, _zkfleet_v1_LeaseReply, _zkfleet_v1_LeaseRequest__Output, _zkfleet_v1_LeaseReply__Output>
  Resolve: MethodDefinition<_zkfleet_v1_ResolveRequest, _zkfleet_v1_ResolveReply, _zkfleet_v1_ResolveRequest__Output, _zkfleet_v1_ResolveReply__Output>
  RestoreData: MethodDefinition<_zkfleet_v1_RestoreDataRequest, _zkfleet_v1_StepResult, _zkfleet_v1_RestoreDataRequest__Output, _zkfleet_v1_StepResult__Output>
  UploadArtifact: MethodDefinition<_zkfleet_v1_ArtifactChunk, _zkfleet_v1_UploadArtifactReply, _zkfleet_v1_ArtifactChunk__Output, _zkfleet_v1_UploadArtifactReply__Output>
  UpsertDnsRecords: MethodDefinition<_zkfleet_v1_UpsertDnsRecordsRequest, _zkfleet_v1_StepResult, _zkfleet_v1_UpsertDnsRecordsRequest__Output, _zkfleet_v1_StepResult__Output>
  VerifyBackup: MethodDefinition<_zkfleet_v1_VerifyBackupRequest, _zkfleet_v1_VerifyBackupReply, _zkfleet_v1_VerifyBackupRequest__Output, _zkfleet_v1_VerifyBackupReply__Output>
  ZooKeeperLog: MethodDefinition<_zkfleet_v1_ZooKeeperLogRequest, _zkfleet_v1_LogChunk, _zkfleet_v1_ZooKeeperLogRequest__Output, _zkfleet_v1_LogChunk__Output>
  ZooKeeperServerKey: MethodDefinition<_zkfleet_v1_ZooKeeperServerKeyRequest, _zkfleet_v1_ZooKeeperServerKeyReply, _zkfleet_v1_ZooKeeperServerKeyRequest__Output, _zkfleet_v1_ZooKeeperServerKeyReply__Output>
  ZooKeeperService: MethodDefinition<_zkfleet_v1_ZooKeeperServiceRequest, _zkfleet_v1_ZooKeeperServiceReply, _zkfleet_v1_ZooKeeperServiceRequest__Output, _zkfleet_v1_ZooKeeperServiceReply__Output>
  ZooKeeperStatus: MethodDefinition<_zkfleet_v1_ZooKeeperStatusRequest, _zkfleet_v1_ZooKeeperStatus, _zkfleet_v1_ZooKeeperStatusRequest__Output, _zkfleet_v1_ZooKeeperStatus__Output>
}
