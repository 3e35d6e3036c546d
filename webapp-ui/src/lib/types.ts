/** The chat's wire types, as the server sends them (see ChatPayloads on the server). */
export interface ChatMessage {
  id: number;
  room: string;
  user_id: string;
  text: string;
  timestamp: number;
  message_id: string | null;
}

export interface ChatError {
  code: string;
  message: string;
  retry_after_ms?: number;
}

export interface RoomUser {
  user_id: string;
  room: string;
}

export interface Alert {
  message: string;
  from: string;
}

export interface RoomInfo {
  name: string;
  created_by: string;
  created_at: number | string;
  member_count: number;
}
