/** Socket.IO namespaces and room names, in one place. */
export const AGENT_NS = '/agent';
export const WEBCHAT_NS = '/webchat';

export const rooms = {
  agent: (agentId: string) => `agent:${agentId}`,
  /** Agents currently viewing a conversation. */
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  allAgents: 'agents',
  /** Every supervisor and admin: the audience of conversations that belong to no team. */
  supervisors: 'supervisors',
  admins: 'admins',
  /** Everyone in a team (colleagues' presence and load). */
  team: (teamId: string) => `team:${teamId}`,
  /** The supervisors of a team. */
  teamSupervisors: (teamId: string) => `team-supervisors:${teamId}`,
  /** Sockets that see the same queue: admins (`*`), or everyone with the same set of teams. */
  queue: (key: string) => `queue:${key}`,
  /** The visitor's sockets (all tabs) in the web chat namespace. */
  visitor: (contactId: string) => `visitor:${contactId}`,
};
