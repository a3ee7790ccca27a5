import { InvalidInputError } from '../errors/index.js';
import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from './types.js';

/** Where to insert a policy relative to the existing ones. Without a position it goes last (innermost). */
export interface AddPolicyOptions {
  /** Insert directly before (outside of) the policy with this name. */
  before?: string;
  /** Insert directly after (inside of) the policy with this name. */
  after?: string;
}

/**
 * A read-only view of a client's policies (`client.pipeline`): inspect it, or `clone()` it into a
 * {@link Pipeline} you can change and pass to `client.withPipeline`. It has no `addPolicy`, so changing a
 * running client's pipeline in place cannot silently do nothing.
 */
export interface ReadonlyPipeline {
  /** The policies, outermost first. */
  getOrderedPolicies(): readonly PipelinePolicy[];
  /** An independent, changeable copy with the same policies. */
  clone(): Pipeline;
}

/**
 * An ordered list of named policies. The first policy sees the request first and the response last;
 * the transport sits after the last one. Pipelines are mutable: `clone()` before changing a shared one.
 */
export interface Pipeline extends ReadonlyPipeline {
  /** Adds a policy; its name must be unique. */
  addPolicy(policy: PipelinePolicy, options?: AddPolicyOptions): void;
  /** Removes the named policy and returns it, or `undefined` when absent. */
  removePolicy(name: string): PipelinePolicy | undefined;
  /** Runs the request through every policy and finally `transport`. */
  sendRequest(request: PipelineRequest, transport: SendRequest): Promise<PipelineResponse>;
}

/** A frozen read-only view of `pipeline`'s current policies. */
export function readonlyView(pipeline: ReadonlyPipeline): ReadonlyPipeline {
  const policies = Object.freeze([...pipeline.getOrderedPolicies()]);
  return Object.freeze({ getOrderedPolicies: () => policies, clone: () => createPipeline(policies) });
}

/** Creates a pipeline holding `policies` in the given order (outermost first). */
export function createPipeline(policies: readonly PipelinePolicy[] = []): Pipeline {
  const list: PipelinePolicy[] = [];
  const indexOf = (name: string, role: string): number => {
    const i = list.findIndex((p) => p.name === name);
    if (i === -1) {
      throw new InvalidInputError(`No policy named "${name}" to insert ${role}; present: ${list.map((p) => p.name).join(', ') || 'none'}`, {
        field: role,
      });
    }
    return i;
  };
  const pipeline: Pipeline = {
    addPolicy(policy, options = {}) {
      if (list.some((p) => p.name === policy.name)) {
        throw new InvalidInputError(`A policy named "${policy.name}" is already in the pipeline; remove it first.`, { field: 'policy.name' });
      }
      if (options.before && options.after) {
        throw new InvalidInputError('Give either "before" or "after" when adding a policy, not both.', { field: 'options' });
      }
      if (options.before) list.splice(indexOf(options.before, 'before'), 0, policy);
      else if (options.after) list.splice(indexOf(options.after, 'after') + 1, 0, policy);
      else list.push(policy);
    },
    removePolicy(name) {
      const i = list.findIndex((p) => p.name === name);
      return i === -1 ? undefined : list.splice(i, 1)[0];
    },
    getOrderedPolicies: () => [...list],
    clone: () => createPipeline(list),
    sendRequest(request, transport) {
      const dispatch = (index: number, req: PipelineRequest): Promise<PipelineResponse> => {
        const policy = list[index];
        return policy ? policy.sendRequest(req, (r) => dispatch(index + 1, r)) : transport(req);
      };
      return dispatch(0, request);
    },
  };
  for (const policy of policies) pipeline.addPolicy(policy);
  return pipeline;
}
