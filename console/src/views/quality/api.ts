/** The quality-inspection REST calls of the console (docs/api.md §18). */
import type { InspectionView, RubricView, SampleView, ScoreView } from '../../../../shared/quality';
import { request } from '../../api';

export interface RubricInput {
  name: string;
  basedOn: number;
  criteria: {
    key: string;
    label: { en: string; zh: string };
    weight: number;
    kind: 'scale' | 'pass_fail';
    max?: number;
    errorBelow?: number;
    auto?: 'timeliness' | null;
  }[];
}

export interface ScoreInput {
  criteria: { key: string; score: number; comment: string }[];
  comment: string;
  reason?: string;
  revision: number;
  rubricVersion: number;
}

export const qualityApi = (token: string) => ({
  queue: (status: 'pending' | 'scored') =>
    request<{ samples: SampleView[] }>(`/api/quality/samples?status=${status}&limit=100`, token),
  draw: () => request<{ drawn: number }>('/api/quality/samples/draw', token, { method: 'POST', body: '{}' }),
  inspection: (id: string) =>
    request<InspectionView>(`/api/quality/samples/${encodeURIComponent(id)}`, token),
  score: (id: string, body: ScoreInput) =>
    request<{ score: ScoreView }>(`/api/quality/samples/${encodeURIComponent(id)}/score`, token, {
      method: 'POST',
      body: JSON.stringify(body),
    }),
  myScores: () => request<{ scores: (ScoreView & { label: string | null })[] }>('/api/quality/scores', token),
  rubric: (version?: number) =>
    request<{ rubric: RubricView | null }>(
      `/api/quality/rubric${version ? `?version=${version}` : ''}`,
      token,
    ),
  saveRubric: (body: RubricInput) =>
    request<{ rubric: RubricView }>('/api/quality/rubric', token, {
      method: 'PUT',
      body: JSON.stringify(body),
    }),
});

export type QualityApi = ReturnType<typeof qualityApi>;
