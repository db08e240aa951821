/** Socket.IO namespaces and room names, in one place. */
export const AGENT_NS = '/agent';
export const WEBCHAT_NS = '/webchat';

export const rooms = {
  agent: (agentId: string) => `agent:${agentId}`,
  /** Agents currently viewing a conversation. */
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  allAgents: 'agents',
  supervisors: 'supervisors',
  /** The visitor's sockets (all tabs) in the web chat namespace. */
  visitor: (contactId: string) => `visitor:${contactId}`,
};
