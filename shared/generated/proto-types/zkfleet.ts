import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentClient as _zkfleet_v1_AgentClient, AgentDefinition as _zkfleet_v1_AgentDefinition } from './zkfleet/v1/Agent';
import type { ArtifactChunk as _zkfleet_v1_ArtifactChunk, ArtifactChunk__Output as _zkfleet_v1_ArtifactChunk__Output } from './zkfleet/v1/ArtifactChunk';
import type { BackupChunk as _zkfleet_v1_BackupChunk, BackupChunk__Output as _zkfleet_v1_BackupChunk__Output } from './zkfleet/v1/BackupChunk';
import type { BackupFile as _zkfleet_v1_BackupFile, BackupFile__Output as _zkfleet_v1_BackupFile__Output } from './zkfleet/v1/BackupFile';
import type { BackupHeader as _zkfleet_v1_BackupHeader, BackupHeader__Output as _zkfleet_v1_BackupHeader__Output } from './zkfleet/v1/BackupHeader';
import type { BackupRequest as _zkfleet_v1_BackupRequest, BackupRequest__Output as _zkfleet_v1_BackupRequest__Output } from './zkfleet/v1/BackupRequest';
import type { BuildImageEvent as _zkfleet_v1_BuildImageEvent, BuildImageEvent__Output as _zkfleet_v1_BuildImageEvent__Output } from './zkfleet/v1/BuildImageEvent';
import type { BuildImageRequest as _zkfleet_v1_BuildImageRequest, BuildImageRequest__Output as _zkfleet_v1_BuildImageRequest__Output } from './zkfleet/v1/BuildImageRequest';
import type { BuildImageResult as _zkfleet_v1_BuildImageResult, BuildImageResult__Output as _zkfleet_v1_BuildImageResult__Output } from './zkfleet/v1/BuildImageResult';
import type { ConfigureZooKeeperRequest as _zkfleet_v1_ConfigureZooKeeperRequest, ConfigureZooKeeperRequest__Output as _zkfleet_v1_ConfigureZooKeeperRequest__Output } from './zkfleet/v1/ConfigureZooKeeperRequest';
import type { CoordinatorClient as _zkfleet_v1_CoordinatorClient, CoordinatorDefinition as _zkfleet_v1_CoordinatorDefinition } from './zkfleet/v1/Coordinator';
import type { Disk as _zkfleet_v1_Disk, Disk__Output as _zkfleet_v1_Disk__Output } from './zkfleet/v1/Disk';
import type { DnsRecord as _zkfleet_v1_DnsRecord, DnsRecord__Output as _zkfleet_v1_DnsRecord__Output } from './zkfleet/v1/DnsRecord';
import type { Event as _zkfleet_v1_Event, Event__Output as _zkfleet_v1_Event__Output } from './zkfleet/v1/Event';
import type { ExecEvent as _zkfleet_v1_ExecEvent, ExecEvent__Output as _zkfleet_v1_ExecEvent__Output } from './zkfleet/v1/ExecEvent';
import type { ExecExit as _zkfleet_v1_ExecExit, ExecExit__Output as _zkfleet_v1_ExecExit__Output } from './zkfleet/v1/ExecExit';
import type { ExecRequest as _zkfleet_v1_ExecRequest, ExecRequest__Output as _zkfleet_v1_ExecRequest__Output } from './zkfleet/v1/ExecRequest';
import type { Facts as _zkfleet_v1_Facts, Facts__Output as _zkfleet_v1_Facts__Output } from './zkfleet/v1/Facts';
import type { FactsRequest as _zkfleet_v1_FactsRequest, FactsRequest__Output as _zkfleet_v1_FactsRequest__Output } from './zkfleet/v1/FactsRequest';
import type { HasArtifactReply as _zkfleet_v1_HasArtifactReply, HasArtifactReply__Output as _zkfleet_v1_HasArtifactReply__Output } from './zkfleet/v1/HasArtifactReply';
import type { HasArtifactRequest as _zkfleet_v1_HasArtifactRequest, HasArtifactRequest__Output as _zkfleet_v1_HasArtifactRequest__Output } from './zkfleet/v1/HasArtifactRequest';
import type { HealthReport as _zkfleet_v1_HealthReport, HealthReport__Output as _zkfleet_v1_HealthReport__Output } from './zkfleet/v1/HealthReport';
import type { HostView as _zkfleet_v1_HostView, HostView__Output as _zkfleet_v1_HostView__Output } from './zkfleet/v1/HostView';
import type { InstallRequest as _zkfleet_v1_InstallRequest, InstallRequest__Output as _zkfleet_v1_InstallRequest__Output } from './zkfleet/v1/InstallRequest';
import type { LeaseHolder as _zkfleet_v1_LeaseHolder, LeaseHolder__Output as _zkfleet_v1_LeaseHolder__Output } from './zkfleet/v1/LeaseHolder';
import type { LeaseReply as _zkfleet_v1_LeaseReply, LeaseReply__Output as _zkfleet_v1_LeaseReply__Output } from './zkfleet/v1/LeaseReply';
import type { LeaseRequest as _zkfleet_v1_LeaseRequest, LeaseRequest__Output as _zkfleet_v1_LeaseRequest__Output } from './zkfleet/v1/LeaseRequest';
import type { LogChunk as _zkfleet_v1_LogChunk, LogChunk__Output as _zkfleet_v1_LogChunk__Output } from './zkfleet/v1/LogChunk';
import type { NetInterface as _zkfleet_v1_NetInterface, NetInterface__Output as _zkfleet_v1_NetInterface__Output } from './zkfleet/v1/NetInterface';
import type { ReportAck as _zkfleet_v1_ReportAck, ReportAck__Output as _zkfleet_v1_ReportAck__Output } from './zkfleet/v1/ReportAck';
import type { Resolution as _zkfleet_v1_Resolution, Resolution__Output as _zkfleet_v1_Resolution__Output } from './zkfleet/v1/Resolution';
import type { ResolveReply as _zkfleet_v1_ResolveReply, ResolveReply__Output as _zkfleet_v1_ResolveReply__Output } from './zkfleet/v1/ResolveReply';
import type { ResolveRequest as _zkfleet_v1_ResolveRequest, ResolveRequest__Output as _zkfleet_v1_ResolveRequest__Output } from './zkfleet/v1/ResolveRequest';
import type { RestoreDataRequest as _zkfleet_v1_RestoreDataRequest, RestoreDataRequest__Output as _zkfleet_v1_RestoreDataRequest__Output } from './zkfleet/v1/RestoreDataRequest';
import type { StepResult as _zkfleet_v1_StepResult, StepResult__Output as _zkfleet_v1_StepResult__Output } from './zkfleet/v1/StepResult';
import type { UploadArtifactReply as _zkfleet_v1_UploadArtifactReply, UploadArtifactReply__Output as _zkfleet_v1_UploadArtifactReply__Output } from './zkfleet/v1/UploadArtifactReply';
import type { UpsertDnsRecordsRequest as _zkfleet_v1_UpsertDnsRecordsRequest, UpsertDnsRecordsRequest__Output as _zkfleet_v1_UpsertDnsRecordsRequest__Output } from './zkfleet/v1/UpsertDnsRecordsRequest';
import type { VerifyBackupReply as _zkfleet_v1_VerifyBackupReply, VerifyBackupReply__Output as _zkfleet_v1_VerifyBackupReply__Output } from './zkfleet/v1/VerifyBackupReply';
import type { VerifyBackupRequest as _zkfleet_v1_VerifyBackupRequest, VerifyBackupRequest__Output as _zkfleet_v1_VerifyBackupRequest__Output } from './zkfleet/v1/VerifyBackupRequest';
import type { View as _zkfleet_v1_View, View__Output as _zkfleet_v1_View__Output } from './zkfleet/v1/View';
import type { ViewRequest as _zkfleet_v1_ViewRequest, ViewRequest__Output as _zkfleet_v1_ViewRequest__Output } from './zkfleet/v1/ViewRequest';
import type { ZooKeeperLogRequest as _zkfleet_v1_ZooKeeperLogRequest, ZooKeeperLogRequest__Output as _zkfleet_v1_ZooKeeperLogRequest__Output } from './zkfleet/v1/ZooKeeperLogRequest';
import type { ZooKeeperServer as _zkfleet_v1_ZooKeeperServer, ZooKeeperServer__Output as _zkfleet_v1_ZooKeeperServer__Output } from './zkfleet/v1/ZooKeeperServer';
import type { ZooKeeperServerKeyReply as _zkfleet_v1_ZooKeeperServerKeyReply, ZooKeeperServerKeyReply__Output as _zkfleet_v1_ZooKeeperServerKeyReply__Output } from './zkfleet/v1/ZooKeeperServerKeyReply';
import type { ZooKeeperServerKeyRequest as _zkfleet_v1_ZooKeeperServerKeyRequest, ZooKeeperServerKeyRequest__Output as _zkfleet_v1_ZooKeeperServerKeyRequest__Output } from './zkfleet/v1/ZooKeeperServerKeyRequest';
import type { ZooKeeperServiceReply as _zkfleet_v1_ZooKeeperServiceReply, ZooKeeperServiceReply__Output as _zkfleet_v1_ZooKeeperServiceReply__Output } from './zkfleet/v1/ZooKeeperServiceReply';
import type { ZooKeeperServiceRequest as _zkfleet_v1_ZooKeeperServiceRequest, ZooKeeperServiceRequest__Output as _zkfleet_v1_ZooKeeperServiceRequest__Output } from './zkfleet/v1/ZooKeeperServiceRequest';
import type { ZooKeeperStatus as _zkfleet_v1_ZooKeeperStatus, ZooKeeperStatus__Output as _zkfleet_v1_ZooKeeperStatus__Output } from './zkfleet/v1/ZooKeeperStatus';
import type { ZooKeeperStatusRequest as _zkfleet_v1_ZooKeeperStatusRequest, ZooKeeperStatusRequest__Output as _zkfleet_v1_ZooKeeperStatusRequest__Output } from './zkfleet/v1/ZooKeeperStatusRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  zkfleet: {
    v1: {
      Agent: SubtypeConstructor<typeof grpc.Client, _zkfleet_v1_AgentClient> & { service: _zkfleet_v1_AgentDefinition }
      ArtifactChunk: MessageTypeDefinition<_zkfleet_v1_ArtifactChunk, _zkfleet_v1_ArtifactChunk__Output>
      BackupChunk: MessageTypeDefinition<_zkfleet_v1_BackupChunk, _zkfleet_v1_BackupChunk__Output>
      BackupFile: MessageTypeDefinition<_zkfleet_v1_BackupFile, _zkfleet_v1_BackupFile__Output>
      BackupHeader: MessageTypeDefinition<_zkfleet_v1_BackupHeader, _zkfleet_v1_BackupHeader__Output>
      BackupRequest: MessageTypeDefinition<_zkfleet_v1_BackupRequest, _zkfleet_v1_BackupRequest__Output>
      BuildImageEvent: MessageTypeDefinition<_zkfleet_v1_BuildImageEvent, _zkfleet_v1_BuildImageEvent__Output>
      BuildImageRequest: MessageTypeDefinition<_zkfleet_v1_BuildImageRequest, _zkfleet_v1_BuildImageRequest__Output>
      BuildImageResult: MessageTypeDefinition<_zkfleet_v1_BuildImageResult, _zkfleet_v1_BuildImageResult__Output>
      ClientTls: EnumTypeDefinition
      ConfigureZooKeeperRequest: MessageTypeDefinition<_zkfleet_v1_ConfigureZooKeeperRequest, _zkfleet_v1_ConfigureZooKeeperRequest__Output>
      /**
       * The coordinator server: agents push health reports to it (agent certificates only, each for its own
       * name); the coordinator CLI reads the latest view (coordinator certificate only).
       */
      Coordinator: SubtypeConstructor<typeof grpc.Client, _zkfleet_v1_CoordinatorClient> & { service: _zkfleet_v1_CoordinatorDefinition }
      Disk: MessageTypeDefinition<_zkfleet_v1_Disk, _zkfleet_v1_Disk__Output>
      DnsRecord: MessageTypeDefinition<_zkfleet_v1_DnsRecord, _zkfleet_v1_DnsRecord__Output>
      Event: MessageTypeDefinition<_zkfleet_v1_Event, _zkfleet_v1_Event__Output>
      ExecEvent: MessageTypeDefinition<_zkfleet_v1_ExecEvent, _zkfleet_v1_ExecEvent__Output>
      ExecExit: MessageTypeDefinition<_zkfleet_v1_ExecExit, _zkfleet_v1_ExecExit__Output>
      ExecRequest: MessageTypeDefinition<_zkfleet_v1_ExecRequest, _zkfleet_v1_ExecRequest__Output>
      Facts: MessageTypeDefinition<_zkfleet_v1_Facts, _zkfleet_v1_Facts__Output>
      FactsRequest: MessageTypeDefinition<_zkfleet_v1_FactsRequest, _zkfleet_v1_FactsRequest__Output>
      HasArtifactReply: MessageTypeDefinition<_zkfleet_v1_HasArtifactReply, _zkfleet_v1_HasArtifactReply__Output>
      HasArtifactRequest: MessageTypeDefinition<_zkfleet_v1_HasArtifactRequest, _zkfleet_v1_HasArtifactRequest__Output>
      HealthReport: MessageTypeDefinition<_zkfleet_v1_HealthReport, _zkfleet_v1_HealthReport__Output>
      HostView: MessageTypeDefinition<_zkfleet_v1_HostView, _zkfleet_v1_HostView__Output>
      InstallRequest: MessageTypeDefinition<_zkfleet_v1_InstallRequest, _zkfleet_v1_InstallRequest__Output>
      LeaseHolder: MessageTypeDefinition<_zkfleet_v1_LeaseHolder, _zkfleet_v1_LeaseHolder__Output>
      LeaseReply: MessageTypeDefinition<_zkfleet_v1_LeaseReply, _zkfleet_v1_LeaseReply__Output>
      LeaseRequest: MessageTypeDefinition<_zkfleet_v1_LeaseRequest, _zkfleet_v1_LeaseRequest__Output>
      LogChunk: MessageTypeDefinition<_zkfleet_v1_LogChunk, _zkfleet_v1_LogChunk__Output>
      NetInterface: MessageTypeDefinition<_zkfleet_v1_NetInterface, _zkfleet_v1_NetInterface__Output>
      QuorumTls: EnumTypeDefinition
      ReportAck: MessageTypeDefinition<_zkfleet_v1_ReportAck, _zkfleet_v1_ReportAck__Output>
      Resolution: MessageTypeDefinition<_zkfleet_v1_Resolution, _zkfleet_v1_Resolution__Output>
      ResolveReply: MessageTypeDefinition<_zkfleet_v1_ResolveReply, _zkfleet_v1_ResolveReply__Output>
      ResolveRequest: MessageTypeDefinition<_zkfleet_v1_ResolveRequest, _zkfleet_v1_ResolveRequest__Output>
      RestoreDataRequest: MessageTypeDefinition<_zkfleet_v1_RestoreDataRequest, _zkfleet_v1_RestoreDataRequest__Output>
      StepResult: MessageTypeDefinition<_zkfleet_v1_StepResult, _zkfleet_v1_StepResult__Output>
      UploadArtifactReply: MessageTypeDefinition<_zkfleet_v1_UploadArtifactReply, _zkfleet_v1_UploadArtifactReply__Output>
      UpsertDnsRecordsRequest: MessageTypeDefinition<_zkfleet_v1_UpsertDnsRecordsRequest, _zkfleet_v1_UpsertDnsRecordsRequest__Output>
      VerifyBackupReply: MessageTypeDefinition<_zkfleet_v1_VerifyBackupReply, _zkfleet_v1_VerifyBackupReply__Output>
      VerifyBackupRequest: MessageTypeDefinition<_zkfleet_v1_VerifyBackupRequest, _zkfleet_v1_VerifyBackupRequest__Output>
      View: MessageTypeDefinition<_zkfleet_v1_View, _zkfleet_v1_View__Output>
      ViewRequest: MessageTypeDefinition<_zkfleet_v1_ViewRequest, _zkfleet_v1_ViewRequest__Output>
      ZooKeeperLogRequest: MessageTypeDefinition<_zkfleet_v1_ZooKeeperLogRequest, _zkfleet_v1_ZooKeeperLogRequest__Output>
      ZooKeeperMode: EnumTypeDefinition
      ZooKeeperServer: MessageTypeDefinition<_zkfleet_v1_ZooKeeperServer, _zkfleet_v1_ZooKeeperServer__Output>
      ZooKeeperServerKeyReply: MessageTypeDefinition<_zkfleet_v1_ZooKeeperServerKeyReply, _zkfleet_v1_ZooKeeperServerKeyReply__Output>
      ZooKeeperServerKeyRequest: MessageTypeDefinition<_zkfleet_v1_ZooKeeperServerKeyRequest, _zkfleet_v1_ZooKeeperServerKeyRequest__Output>
      ZooKeeperServiceReply: MessageTypeDefinition<_zkfleet_v1_ZooKeeperServiceReply, _zkfleet_v1_ZooKeeperServiceReply__Output>
      ZooKeeperServiceRequest: MessageTypeDefinition<_zkfleet_v1_ZooKeeperServiceRequest, _zkfleet_v1_ZooKeeperServiceRequest__Output>
      ZooKeeperStatus: MessageTypeDefinition<_zkfleet_v1_ZooKeeperStatus, _zkfleet_v1_ZooKeeperStatus__Output>
      ZooKeeperStatusRequest: MessageTypeDefinition<_zkfleet_v1_ZooKeeperStatusRequest, _zkfleet_v1_ZooKeeperStatusRequest__Output>
    }
  }
}

