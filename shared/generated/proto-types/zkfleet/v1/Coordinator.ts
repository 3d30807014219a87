// Original file: proto/zkfleet.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { HealthReport as _zkfleet_v1_HealthReport, HealthReport__Output as _zkfleet_v1_HealthReport__Output } from '../../zkfleet/v1/HealthReport';
import type { ReportAck as _zkfleet_v1_ReportAck, ReportAck__Output as _zkfleet_v1_ReportAck__Output } from '../../zkfleet/v1/ReportAck';
import type { View as _zkfleet_v1_View, View__Output as _zkfleet_v1_View__Output } from '../../zkfleet/v1/View';
import type { ViewRequest as _zkfleet_v1_ViewRequest, ViewRequest__Output as _zkfleet_v1_ViewRequest__Output } from '../../zkfleet/v1/ViewRequest';

/**
 * The coordinator server: agents push health reports to it (agent certificates only, each for its own
 * name); the coordinator CLI reads the latest view (coordinator certificate only).
 */
export interface CoordinatorClient extends grpc.Client {
  GetView(argument: _zkfleet_v1_ViewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_View__Output>): grpc.ClientUnaryCall;
  GetView(argument: _zkfleet_v1_ViewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_View__Output>): grpc.ClientUnaryCall;
  GetView(argument: _zkfleet_v1_ViewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_View__Output>): grpc.ClientUnaryCall;
  GetView(argument: _zkfleet_v1_ViewRequest, callback: grpc.requestCallback<_zkfleet_v1_View__Output>): grpc.ClientUnaryCall;
  getView(argument: _zkfleet_v1_ViewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_View__Output>): grpc.ClientUnaryCall;
  getView(argument: _zkfleet_v1_ViewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_View__Output>): grpc.ClientUnaryCall;
  getView(argument: _zkfleet_v1_ViewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_View__Output>): grpc.ClientUnaryCall;
  getView(argument: _zkfleet_v1_ViewRequest, callback: grpc.requestCallback<_zkfleet_v1_View__Output>): grpc.ClientUnaryCall;
  
  Report(argument: _zkfleet_v1_HealthReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  Report(argument: _zkfleet_v1_HealthReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  Report(argument: _zkfleet_v1_HealthReport, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  Report(argument: _zkfleet_v1_HealthReport, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _zkfleet_v1_HealthReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _zkfleet_v1_HealthReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _zkfleet_v1_HealthReport, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _zkfleet_v1_HealthReport, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  
  /**
   * The same reports over one long-lived stream per agent: the peer's certificate is read once per stream,
   * not once per report, and no HTTP/2 stream is opened per report. One ack per report, in order.
   */
  ReportStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_zkfleet_v1_HealthReport, _zkfleet_v1_ReportAck__Output>;
  ReportStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_zkfleet_v1_HealthReport, _zkfleet_v1_ReportAck__Output>;
  /**
   * The same reports over one long-lived stream per agent: the peer's certificate is read once per stream,
   * not once per report, and no HTTP/2 stream is opened per report. One ack per report, in order.
   */
  reportStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_zkfleet_v1_HealthReport, _zkfleet_v1_ReportAck__Output>;
  reportStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_zkfleet_v1_HealthReport, _zkfleet_v1_ReportAck__Output>;
  
}

/**
 * The coordinator server: agents push health reports to it (agent certificates only, each for its own
 * name); the coordinator CLI reads the latest view (coordinator certificate only).
 */
export interface CoordinatorHandlers extends grpc.UntypedServiceImplementation {
  GetView: grpc.handleUnaryCall<_zkfleet_v1_ViewRequest__Output, _zkfleet_v1_View>;
  
  Report: grpc.handleUnaryCall<_zkfleet_v1_HealthReport__Output, _zkfleet_v1_ReportAck>;
  
  /**
   * The same reports over one long-lived stream per agent: the peer's certificate is read once per stream,
   * not once per report, and no HTTP/2 stream is opened per report. One ack per report, in order.
   */
  ReportStream: grpc.handleBidiStreamingCall<_zkfleet_v1_HealthReport__Output, _zkfleet_v1_ReportAck>;
  
}

export interface CoordinatorDefinition extends grpc.ServiceDefinition {
  GetView: MethodDefinition<_zkfleet_v1_ViewRequest, _zkfleet_v1_View, _zkfleet_v1_ViewRequest__Output, _zkfleet_v1_View__Output>
  Report: MethodDefinition<_zkfleet_v1_HealthReport, _zkfleet_v1_ReportAck, _zkfleet_v1_HealthReport__Output, _zkfleet_v1_ReportAck__Output>
  ReportStream: MethodDefinition<_zkfleet_v1_HealthReport, _zkfleet_v1_ReportAck, _zkfleet_v1_HealthReport__Output, _zkfleet_v1_ReportAck__Output>
}
