/**
 * HTTP for satisfaction: the signed rating page (`GET`/`POST /csat/:token`, no login) and
 * the supervisors' report (`GET /api/reports/csat`). See docs/api.md.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { AgentAccess } from '../auth/access';
import { DomainError, InvalidInput } from '../domain/errors';
import type { Models } from '../domain/models';
import { requireRole } from '../http/auth';
import { plainPageHeaders } from '../http/security';
import { parse, route } from '../http/errors';
import { pickLocale } from '../notices/texts';
import type { SurveyAnswers } from './answers';
import { csatFigures, GROUPS, INTERVALS } from './figures';
import type { SurveyDoc } from './model';
import { notice, ratingForm } from './page';
import { pageWords } from './texts';
import { readRatingToken } from './token';

const PageForm = z.object({
  rating: z.coerce.number().int().min(1).max(5).optional(),
  comment: z.string().max(2000).optional(),
});

export function ratingPageRouter(models: Models, answers: SurveyAnswers, secret: string, now: () => Date) {
  const r = express.Router();
  r.use(plainPageHeaders, (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  r.use(express.urlencoded({ extended: false, limit: '16kb' }));

  const send = (res: Response, status: number, html: string) => {
    res.status(status).type('html').send(html);
  };
  /** The survey a token names, or the page that says why there is none. */
  const surveyOf = async (req: Request, res: Response): Promise<SurveyDoc | null> => {
    const guess = pickLocale(req.headers['accept-language']?.split(',')[0], 'en');
    const read = readRatingToken(secret, String(req.params.token), now().getTime());
    if (!read.ok) {
      const w = pageWords(guess);
      send(
        res,
        read.reason === 'expired' ? 410 : 404,
        notice(guess, read.reason === 'expired' ? w.expired : w.forged),
      );
      return null;
    }
    const survey = await models.Survey.findOne({
      conversationId: read.conversationId,
      resolvedAt: read.resolvedAt,
    }).lean<SurveyDoc>();
    if (!survey) send(res, 404, notice(guess, pageWords(guess).missing));
    return survey;
  };

  r.get(
    '/:token',
    route(async (req, res) => {
      const s = await surveyOf(req, res);
      if (!s) return;
      const note = s.rating !== null ? pageWords(s.locale).changeHint : undefined;
      send(res, 200, ratingForm(s.locale, { rating: s.rating, comment: s.comment, note }));
    }),
  );
  r.post(
    '/:token',
    route(async (req, res) => {
      const s = await surveyOf(req, res);
      if (!s) return;
      const w = pageWords(s.locale);
      const form = PageForm.safeParse(req.body);
      if (!form.success || form.data.rating === undefined) {
        send(res, 400, ratingForm(s.locale, { rating: s.rating, comment: s.comment, error: w.chooseRating }));
        return;
      }
      try {
        const { survey, outcome } = await answers.apply(
          s,
          form.data.rating,
          form.data.comment ?? null,
          `page:${randomUUID()}`,
        );
        const note = outcome === 'changed' ? w.thanksChanged : w.thanks;
        send(res, 200, ratingForm(s.locale, { rating: survey.rating, comment: survey.comment, note }));
      } catch (err) {
        if (!(err instanceof DomainError) || err.status >= 500) throw err;
        send(res, err.status, notice(s.locale, err.status === 410 ? w.expired : w.chooseRating));
      }
    }),
  );
  return r;
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'must be a date (YYYY-MM-DD) or an ISO instant');
const ReportQuery = z.object({
  from: day,
  to: day,
  groupBy: z.enum(GROUPS).default('agent'),
  interval: z.enum(INTERVALS).default('all'),
});

export function csatReportRouter(models: Models, access: AgentAccess) {
  const r = express.Router();
  r.get(
    '/reports/csat',
    requireRole(access, ['supervisor', 'admin']),
    route(async (req, res) => {
      const q = parse(ReportQuery, req.query);
      const from = new Date(q.from);
      const to = new Date(q.to);
      if (!(to.getTime() > from.getTime())) throw new InvalidInput('to: must be after from');
      const figures = await csatFigures(models, { from, to, groupBy: q.groupBy, interval: q.interval });
      res.json({
        from: from.toISOString(),
        to: to.toISOString(),
        groupBy: q.groupBy,
        interval: q.interval,
        ...figures,
      });
    }),
  );
  return r;
}
