import type { EntityData } from '@mikro-orm/core';
import { activeUserIds, User } from '#porch/accounts';
import { PorchSeeder, Seeder, seededUuid, type SeedContext } from '#porch/core';
import { Device, Platform } from './devices/device.entity.js';
import { GroupMember, MembershipStatus } from './groups/group-member.entity.js';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from './groups/join-code.js';
import { Group } from './groups/group.entity.js';
import { Keypress } from './keypresses/keypress.entity.js';
import type { CreateSessionDto } from './sessions/dto/create-session.dto.js';
import { prepareUpload, type PreparedUpload } from './sessions/session-upload.js';
import { Session } from './sessions/session.entity.js';
import { Operator, OPERATORS } from './tasks/operator.js';
import { Task } from './tasks/task.entity.js';

type Faker = SeedContext['faker'];

/** Sessions per batch (each with up to 30 tasks and their keypresses). */
const BATCH = 200;
const DAY = 24 * 3600 * 1000;

const DEVICES: Record<Platform, { models: string[]; os: string[] }> = {
  [Platform.Android]: {
    models: ['SM-T510', 'SM-X200', 'Lenovo TB-X606F', 'Pixel Tablet', 'SM-A546W', 'moto g(30)'],
    os: ['11', '12', '13', '14'],
  },
  [Platform.Ios]: {
    models: ['iPad8,1', 'iPad11,6', 'iPad12,1', 'iPad13,18', 'iPhone14,7'],
    os: ['15.7.9', '16.7.2', '17.4.1', '17.5'],
  },
};

/** A task a child could be given, with its right answer: `first op ? = second`. */
function problem(faker: Faker): {
  first: number;
  operator: Operator;
  second: number;
  answer: number;
} {
  const operator = faker.helpers.arrayElement(OPERATORS);
  const n = (min: number, max: number) => faker.number.int({ min, max });
  switch (operator) {
    case Operator.Add: {
      const [first, answer] = [n(0, 20), n(0, 20)];
      return { first, operator, second: first + answer, answer };
    }
    case Operator.Subtract: {
      const first = n(5, 30);
      const answer = n(0, first);
      return { first, operator, second: first - answer, answer };
    }
    case Operator.Multiply: {
      const [first, answer] = [n(1, 10), n(1, 10)];
      return { first, operator, second: first * answer, answer };
    }
    case Operator.Divide: {
      const [second, answer] = [n(1, 10), n(1, 10)];
      return { first: second * answer, operator, second, answer };
    }
  }
}

/**
 * `manage seed tasks`: `number` sessions of the measurements app, each with 10–30 tasks (most
 * answered, some wrong, a few skipped) and the keys typed for them, on devices shared between a
 * user's sessions; plus a few groups with members. Each session goes through `prepareUpload`,
 * the upload's own rules, so `isCorrect`, `answerMs` and `bodyHash` are derived exactly as an
 * uploaded one's.
 */
@PorchSeeder({ module: 'tasks', order: 50 })
export class TasksSeeder extends Seeder {
  async seed({ em, number, faker, ids, record, progress, log }: SeedContext): Promise<void> {
    const users = await activeUserIds(em, ids);
    if (!users.length || !number) {
      log('no active users to measure: seed accounts first');
      return;
    }
    // Learners: a fifth of the users (at least one), each with a few sessions.
    const learners = faker.helpers.arrayElements(users, Math.max(1, Math.ceil(users.length / 5)));

    // Devices: the learners' existing ones, plus new ones as sessions need them.
    const devices = new Map<string, Device[]>();
    const deviceKeys = new Set<string>();
    const deviceKey = (user: string, d: Pick<Device, 'platform' | 'model' | 'osVersion'>) =>
      [user, d.platform, d.model, d.osVersion].join('\u0000');
    for (const d of await em.find(Device, { user: { $in: learners } })) {
      devices.set(d.user.id, [...(devices.get(d.user.id) ?? []), d]);
      deviceKeys.add(deviceKey(d.user.id, d));
    }
    const newDevices: string[] = [];
    const deviceFor = async (user: string): Promise<Device> => {
      const own = devices.get(user) ?? [];
      if (own.length && (own.length >= 2 || faker.datatype.boolean(0.85)))
        return faker.helpers.arrayElement(own);
      for (;;) {
        const platform = faker.helpers.arrayElement([Platform.Android, Platform.Ios]);
        const device = new Device(
          em.getReference(User, user),
          platform,
          faker.helpers.arrayElement(DEVICES[platform].models),
          faker.helpers.arrayElement(DEVICES[platform].os),
        );
        if (deviceKeys.has(deviceKey(user, device))) {
          if (own.length) return faker.helpers.arrayElement(own);
          continue;
        }
        device.details = {
          locale: faker.helpers.arrayElement(['en-CA', 'fr-CA', 'en-US']),
          screen: faker.helpers.arrayElement(['1280x800', '2048x1536', '2360x1640', '1920x1200']),
          appBuild: faker.number.int({ min: 100, max: 400 }),
          darkMode: faker.datatype.boolean(),
        };
        deviceKeys.add(deviceKey(user, device));
        devices.set(user, [...own, device]);
        await em.insert(device);
        newDevices.push(device.id);
        return device;
      }
    };

    const now = Date.now();
    const bar = progress('sessions', number);
    const sessionIds: string[] = [];
    const taskIds: string[] = [];
    const keypressIds: string[] = [];
    for (let start = 0; start < number; start += BATCH) {
      const sessions: EntityData<Session>[] = [];
      const tasks: EntityData<Task>[] = [];
      const keypresses: EntityData<Keypress>[] = [];
      for (let i = start; i < Math.min(number, start + BATCH); i++) {
        const user = faker.helpers.arrayElement(learners);
        const device = await deviceFor(user);
        const upload = this.upload(faker, new Date(now - faker.number.int(90 * DAY)), device);
        const createdAt = upload.endedAt;
        sessions.push({
          id: upload.id,
          user,
          device: device.id,
          startedAt: upload.startedAt,
          endedAt: upload.endedAt,
          durationMs: upload.durationMs,
          appVersion: upload.appVersion,
          bodyHash: upload.bodyHash,
          createdAt,
          updatedAt: createdAt,
        });
        for (const t of upload.tasks)
          tasks.push({
            id: seededUuid(faker, createdAt),
            session: upload.id,
            user,
            position: t.position,
            firstNumber: t.firstNumber,
            secondNumber: t.secondNumber,
            operator: t.operator,
            userAnswer: t.userAnswer,
            answeredAt: t.answeredAt,
            answerMs: t.answerMs,
            visualHelp: t.visualHelp,
            isCorrect: t.isCorrect,
            createdAt,
            updatedAt: createdAt,
          });
        for (const k of upload.keypresses)
          keypresses.push({
            id: seededUuid(faker, createdAt),
            session: upload.id,
            key: k.key,
            at: k.at,
            createdAt,
            updatedAt: createdAt,
          });
      }
      await em.insertMany(Session, sessions);
      await em.insertMany(Task, tasks);
      if (keypresses.length) await em.insertMany(Keypress, keypresses);
      sessionIds.push(...sessions.map((s) => s.id!));
      taskIds.push(...tasks.map((t) => t.id!));
      keypressIds.push(...keypresses.map((k) => k.id!));
      bar.increment(sessions.length);
    }
    bar.stop();
    record(Device, newDevices);
    record(Session, sessionIds);
    record(Task, taskIds);
    record(Keypress, keypressIds);
    await this.groups({ em, faker, record }, users, Math.max(1, Math.ceil(number / 5)));
  }

  /** One session as the app would upload it, run through the upload's rules. */
  private upload(faker: Faker, startedAt: Date, device: Device): PreparedUpload {
    let t = startedAt.getTime();
    const tasks: NonNullable<CreateSessionDto['tasks']> = [];
    const keypresses: NonNullable<CreateSessionDto['keypresses']> = [];
    const count = faker.number.int({ min: 10, max: 30 });
    for (let i = 0; i < count; i++) {
      const p = problem(faker);
      const visualHelp = faker.datatype.boolean(0.15);
      if (visualHelp) {
        t += faker.number.int({ min: 500, max: 3000 });
        keypresses.push({ key: 'help', at: new Date(t).toISOString() });
      }
      const outcome = faker.helpers.weightedArrayElement([
        { weight: 80, value: 'right' },
        { weight: 15, value: 'wrong' },
        { weight: 5, value: 'skipped' },
      ] as const);
      if (outcome === 'skipped') {
        t += faker.number.int({ min: 1000, max: 8000 });
        tasks.push({
          firstNumber: p.first,
          operator: p.operator,
          secondNumber: p.second,
          visualHelp,
        });
        continue;
      }
      const answer =
        outcome === 'right'
          ? p.answer
          : p.answer +
            faker.helpers.arrayElement([-3, -2, -1, 1, 2, 3].filter((d) => p.answer + d >= 0));
      // The digits typed, a second or so apart; a slip corrected now and then.
      if (faker.datatype.boolean(0.1)) {
        t += faker.number.int({ min: 400, max: 2000 });
        keypresses.push({ key: String(faker.number.int(9)), at: new Date(t).toISOString() });
        t += faker.number.int({ min: 200, max: 1000 });
        keypresses.push({ key: 'backspace', at: new Date(t).toISOString() });
      }
      for (const digit of String(answer)) {
        t += faker.number.int({ min: 400, max: 4000 });
        keypresses.push({ key: digit, at: new Date(t).toISOString() });
      }
      t += faker.number.int({ min: 200, max: 1000 });
      keypresses.push({ key: 'enter', at: new Date(t).toISOString() });
      tasks.push({
        firstNumber: p.first,
        operator: p.operator,
        secondNumber: p.second,
        userAnswer: answer,
        answeredAt: new Date(t).toISOString(),
        visualHelp,
      });
    }
    const endedAt = new Date(t + faker.number.int({ min: 500, max: 10_000 }));
    const dto = {
      id: seededUuid(faker, startedAt),
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      appVersion: faker.helpers.arrayElement(['1.4.2', '1.5.0', '1.5.1', '2.0.0']),
      device: {
        platform: device.platform,
        model: device.model,
        osVersion: device.osVersion,
        details: device.details,
      },
      tasks,
      keypresses,
    } satisfies CreateSessionDto;
    return prepareUpload(dto);
  }

  /** `count` groups, each owned by a user, with 1–6 other users as members. */
  private async groups(
    { em, faker, record }: Pick<SeedContext, 'em' | 'faker' | 'record'>,
    users: string[],
    count: number,
  ): Promise<void> {
    if (users.length < 2) return;
    const owners = Array.from({ length: count }, () => faker.helpers.arrayElement(users));
    const names = new Set(
      (await em.find(Group, { owner: { $in: owners } }, { fields: ['owner', 'name'] })).map(
        (g) => `${g.owner.id}:${g.name}`,
      ),
    );
    const groups: Group[] = [];
    const members: GroupMember[] = [];
    for (const owner of owners) {
      let name = `${faker.word.adjective()} ${faker.animal.type()}s`.replace(/^./, (c) =>
        c.toUpperCase(),
      );
      while (names.has(`${owner}:${name}`)) name = `${name} ${faker.number.int(99)}`;
      names.add(`${owner}:${name}`);
      const group = new Group(em.getReference(User, owner), name.slice(0, 100));
      group.joinCode = faker.datatype.boolean(0.8)
        ? faker.string.fromCharacters(JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH)
        : null;
      groups.push(group);
      const others = users.filter((u) => u !== owner);
      for (const user of faker.helpers.arrayElements(others, {
        min: 1,
        max: Math.min(6, others.length),
      })) {
        const member = new GroupMember(group, em.getReference(User, user));
        // Mostly members who said yes; some invitations still open, a few declined.
        member.status = faker.helpers.weightedArrayElement([
          { weight: 7, value: MembershipStatus.Accepted },
          { weight: 2, value: MembershipStatus.Pending },
          { weight: 1, value: MembershipStatus.Declined },
        ]);
        if (member.status !== MembershipStatus.Pending)
          member.respondedAt = faker.date.recent({ days: 30 });
        members.push(member);
      }
    }
    await em.insertMany(groups);
    await em.insertMany(members);
    record(
      Group,
      groups.map((g) => g.id),
    );
    record(
      GroupMember,
      members.map((m) => m.id),
    );
  }
}
