import {
  Args,
  ArgsType,
  Context,
  Field,
  Float,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { AccessService, Authenticated, PageQueryDto } from '#porch/core';
import {
  AddMemberDto,
  CreateGroupDto,
  GroupTasksQueryDto,
  GroupsService,
  JoinGroupDto,
  ListGroupsQueryDto,
  ListSessionsQueryDto,
  ListTasksQueryDto,
  SessionBodyPipe,
  SessionsService,
  TasksService,
  type Operator,
} from '#porch/tasks';
import { IdArg } from '../common.js';
import { principalOf, type GraphqlContext } from '../context.js';
import { Paged } from '../paged.js';
import { Connection, pageOf, toConnection } from '../pagination.js';

@ObjectType('Task', { description: 'One arithmetic task of a session' })
export class TaskType {
  @Field(() => ID)
  id!: string;
  @Field(() => ID)
  sessionId!: string;
  @Field(() => Int)
  position!: number;
  @Field(() => Int)
  firstNumber!: number;
  @Field(() => String, { description: '+, -, * or /' })
  operator!: Operator;
  @Field(() => Int)
  secondNumber!: number;
  @Field(() => Float, { nullable: true })
  userAnswer!: number | null;
  @Field(() => Date, { nullable: true })
  answeredAt!: Date | null;
  @Field(() => Int, { nullable: true })
  answerMs!: number | null;
  @Field(() => Boolean)
  visualHelp!: boolean;
  @Field(() => Boolean, { nullable: true })
  isCorrect!: boolean | null;
  @Field(() => Date)
  createdAt!: Date;
}
export const TaskConnection = Connection(TaskType, 'Task');

@ObjectType('TaskStats')
export class TaskStatsType {
  @Field(() => Int)
  count!: number;
  @Field(() => Int)
  answered!: number;
  @Field(() => Int)
  correct!: number;
  @Field(() => Float, { nullable: true })
  accuracy!: number | null;
  @Field(() => Float, { nullable: true })
  medianAnswerMs!: number | null;
}

@ObjectType('OperatorStats')
export class OperatorStatsType extends TaskStatsType {
  @Field(() => String)
  operator!: Operator;
}

@ObjectType('TaskStatsReport', { description: 'Your count, accuracy and median answer time' })
export class TaskStatsReportType {
  @Field(() => TaskStatsType)
  overall!: TaskStatsType;
  @Field(() => [OperatorStatsType])
  operators!: OperatorStatsType[];
}

@ObjectType('Device')
export class DeviceType {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  platform!: string;
  @Field(() => String)
  model!: string;
  @Field(() => String)
  osVersion!: string;
}

@ObjectType('Session', { description: 'A measurements-app session' })
export class SessionType {
  @Field(() => ID)
  id!: string;
  @Field(() => Date)
  startedAt!: Date;
  @Field(() => Date)
  endedAt!: Date;
  @Field(() => Int)
  durationMs!: number;
  @Field(() => String)
  appVersion!: string;
  @Field(() => DeviceType)
  device!: DeviceType;
  @Field(() => Int)
  taskCount!: number;
  @Field(() => Int)
  correctCount!: number;
  @Field(() => Int)
  keypressCount!: number;
  @Field(() => Date)
  createdAt!: Date;
}
export const SessionConnection = Connection(SessionType, 'Session');

@ObjectType('Group', { description: 'A group of learners (a class)' })
export class GroupType {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  name!: string;
  @Field(() => ID)
  ownerId!: string;
  @Field(() => Boolean)
  isOwner!: boolean;
  @Field(() => String, { description: "Your membership: the service's membership value" })
  membership!: string;
  @Field(() => Int)
  memberCount!: number;
  @Field(() => String, { nullable: true, description: 'The owner sees it' })
  joinCode!: string | null;
  @Field(() => Date)
  createdAt!: Date;
}
export const GroupConnection = Connection(GroupType, 'Group');

@ObjectType('SessionUpload')
export class SessionUploadType {
  @Field(() => Boolean, { description: 'False for a retry of a stored session (nothing written)' })
  created!: boolean;
  @Field(() => SessionType)
  session!: SessionType;
}

@ObjectType('GroupMember')
export class GroupMemberType {
  @Field(() => ID, { description: "The member's user id" })
  id!: string;
  @Field(() => String)
  name!: string;
  @Field(() => String, { description: 'owner or member' })
  role!: string;
  @Field(() => String, { description: 'pending, accepted or declined' })
  status!: string;
  @Field(() => Date, { nullable: true })
  joinedAt!: Date | null;
}
export const GroupMemberConnection = Connection(GroupMemberType, 'GroupMember');

@ObjectType('TaskUser')
export class TaskUserType {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  name!: string;
}

@ObjectType('GroupTask', { description: "A task of a group's owner or accepted member" })
export class GroupTaskType extends TaskType {
  @Field(() => TaskUserType)
  user!: TaskUserType;
}
export const GroupTaskConnection = Connection(GroupTaskType, 'GroupTask');

@ArgsType()
export class GroupMembersArgs extends Paged(PageQueryDto) {}

@ArgsType()
export class GroupTasksArgs extends Paged(GroupTasksQueryDto) {
  @Field(() => String, { nullable: true, description: 'Tasks stored since (ISO 8601)' })
  override since?: string;
  @Field(() => String, { nullable: true, description: '+, -, * or /' })
  override operator?: Operator;
  @Field(() => String, { nullable: true, description: 'createdAt or answeredAt, `-` descends' })
  override ordering?: string;
}

@InputType('AddGroupMemberInput')
export class AddGroupMemberInput extends AddMemberDto {
  @Field(() => ID, { description: 'The user to invite into the group' })
  override userId!: string;
}

@ArgsType()
export class TasksArgs extends Paged(ListTasksQueryDto) {
  @Field(() => String, { nullable: true, description: 'Tasks stored since (ISO 8601)' })
  override since?: string;
  @Field(() => String, { nullable: true, description: '+, -, * or /' })
  override operator?: Operator;
  @Field(() => ID, { nullable: true, description: 'Only the tasks of this session' })
  override sessionId?: string;
  @Field(() => String, { nullable: true, description: 'createdAt or answeredAt, `-` descends' })
  override ordering?: string;
}

@ArgsType()
export class SessionsArgs extends Paged(ListSessionsQueryDto) {
  @Field(() => String, { nullable: true, description: 'startedAt or createdAt, `-` descends' })
  override ordering?: string;
}

@ArgsType()
export class GroupsArgs extends Paged(ListGroupsQueryDto) {
  @Field(() => String, { nullable: true })
  override membership?: ListGroupsQueryDto['membership'];
  @Field(() => String, { nullable: true, description: 'name or createdAt, `-` descends' })
  override ordering?: string;
}

@InputType('CreateGroupInput')
export class CreateGroupInput extends CreateGroupDto {
  @Field(() => String)
  override name!: string;
}

@InputType('JoinGroupInput')
export class JoinGroupInput extends JoinGroupDto {
  @Field(() => String, { description: "The group's join code" })
  override code!: string;
}

/** The measurements app: tasks, their stats, sessions and groups (the tasks module's services). */
@Resolver()
export class TasksResolver {
  constructor(
    private readonly tasks: TasksService,
    private readonly sessions: SessionsService,
    private readonly groups: GroupsService,
  ) {}

  /** REST's session-body checks (limits, then the DTO, then each task and keypress). */
  private readonly sessionBody = new SessionBodyPipe();

  @Query(() => TaskConnection, { name: 'tasks', description: 'Your tasks' })
  @Authenticated()
  async listTasks(@Args() args: TasksArgs, @Context() ctx: GraphqlContext) {
    const at = pageOf(args);
    return toConnection(await this.tasks.list(principalOf(ctx), { ...args, ...at }), at);
  }

  @Query(() => TaskStatsReportType, { description: 'Your count, accuracy and median answer time' })
  @Authenticated()
  taskStats(@Context() ctx: GraphqlContext) {
    return this.tasks.stats(principalOf(ctx));
  }

  @Query(() => SessionConnection, { name: 'sessions', description: 'Your sessions' })
  @Authenticated()
  async listSessions(@Args() args: SessionsArgs, @Context() ctx: GraphqlContext) {
    const at = pageOf(args);
    return toConnection(await this.sessions.list(principalOf(ctx), { ...args, ...at }), at);
  }

  @Query(() => SessionType, { description: 'One of your sessions' })
  @Authenticated({ permission: 'session.read', param: 'id' })
  session(@IdArg() id: string) {
    return this.sessions.get(id);
  }

  @Mutation(() => SessionUploadType, {
    description:
      "Upload a session: the body of REST's `POST /sessions` as a JSON object (its tasks and " +
      "keypresses), checked by the same rules; idempotent on the client's session id",
  })
  @Authenticated()
  async uploadSession(
    @Args('session', { type: () => GraphQLJSONObject }) session: unknown,
    @Context() ctx: GraphqlContext,
  ) {
    const dto = await this.sessionBody.transform(session);
    return this.sessions.upload(principalOf(ctx), dto);
  }

  @Query(() => GroupConnection, { name: 'groups', description: 'Groups you own or belong to' })
  @Authenticated()
  async listGroups(@Args() args: GroupsArgs, @Context() ctx: GraphqlContext) {
    const at = pageOf(args);
    return toConnection(await this.groups.list(principalOf(ctx), { ...args, ...at }), at);
  }

  @Query(() => GroupType)
  @Authenticated({ permission: 'group.read', param: 'id' })
  group(@IdArg() id: string, @Context() ctx: GraphqlContext) {
    return this.groups.get(principalOf(ctx), id);
  }

  @Mutation(() => GroupType, { description: 'Create a group you own' })
  @Authenticated()
  createGroup(
    @Args('input', { type: () => CreateGroupInput }) input: CreateGroupInput,
    @Context() ctx: GraphqlContext,
  ) {
    return this.groups.create(principalOf(ctx), input);
  }

  @Mutation(() => GroupType, { description: 'Join a group with its join code' })
  @Authenticated()
  joinGroup(
    @IdArg() id: string,
    @Args('input', { type: () => JoinGroupInput }) input: JoinGroupInput,
    @Context() ctx: GraphqlContext,
  ) {
    return this.groups.join(principalOf(ctx), id, input.code);
  }

  @Mutation(() => GroupType, { description: 'Accept an invitation to a group' })
  @Authenticated({ permission: 'group.read', param: 'id' })
  acceptGroup(@IdArg() id: string, @Context() ctx: GraphqlContext) {
    return this.groups.accept(principalOf(ctx), id);
  }

  @Mutation(() => GroupType, { description: 'Decline an invitation to a group' })
  @Authenticated({ permission: 'group.read', param: 'id' })
  declineGroup(@IdArg() id: string, @Context() ctx: GraphqlContext) {
    return this.groups.decline(principalOf(ctx), id);
  }
}

/** A group's members and tasks, and the owner's changes (GroupsService's rules). */
@Resolver(() => GroupType)
export class GroupsResolver {
  constructor(
    private readonly groups: GroupsService,
    private readonly access: AccessService,
  ) {}

  @ResolveField('members', () => GroupMemberConnection, { description: 'For its members' })
  async members(
    @Parent() group: GroupType,
    @Args() args: GroupMembersArgs,
    @Context() ctx: GraphqlContext,
  ) {
    await this.access.require(principalOf(ctx), 'group.members', group.id);
    const at = pageOf(args);
    return toConnection(await this.groups.members(principalOf(ctx), group.id, at), at);
  }

  @ResolveField('tasks', () => GroupTaskConnection, {
    description: "The owner's and accepted members' tasks (not yours), for its members",
  })
  async tasks(
    @Parent() group: GroupType,
    @Args() args: GroupTasksArgs,
    @Context() ctx: GraphqlContext,
  ) {
    await this.access.require(principalOf(ctx), 'group.members', group.id);
    const at = pageOf(args);
    return toConnection(
      await this.groups.tasks(principalOf(ctx), group.id, { ...args, ...at }),
      at,
    );
  }

  @Mutation(() => GroupMemberType, { description: 'Owner: invite a user into the group' })
  @Authenticated({ permission: 'group.manage', param: 'id' })
  addGroupMember(
    @IdArg() id: string,
    @Args('input', { type: () => AddGroupMemberInput }) input: AddGroupMemberInput,
    @Context() ctx: GraphqlContext,
  ) {
    return this.groups.addMember(principalOf(ctx), id, input);
  }

  @Mutation(() => Boolean, { description: 'Owner: remove a member; a member: leave (your id)' })
  @Authenticated({ permission: 'group.read', param: 'id' })
  async removeGroupMember(
    @IdArg() id: string,
    @IdArg('userId') userId: string,
    @Context() ctx: GraphqlContext,
  ) {
    await this.groups.removeMember(principalOf(ctx), id, userId);
    return true;
  }

  @Mutation(() => String, { description: 'Owner: a new join code (the old one stops working)' })
  @Authenticated({ permission: 'group.manage', param: 'id' })
  async rotateGroupJoinCode(@IdArg() id: string, @Context() ctx: GraphqlContext) {
    return (await this.groups.rotateJoinCode(principalOf(ctx), id)).joinCode;
  }

  @Mutation(() => Boolean, { description: 'Owner: turn joining by code off' })
  @Authenticated({ permission: 'group.manage', param: 'id' })
  async disableGroupJoinCode(@IdArg() id: string, @Context() ctx: GraphqlContext) {
    await this.groups.disableJoinCode(principalOf(ctx), id);
    return true;
  }
}
